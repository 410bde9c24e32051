package dev.nvae.io;

import dev.nvae.NvaeException;

import java.util.Locale;

/**
 * The element type of the tensors a safetensors file is written with: float32 (exact; what training
 * checkpoints and resumes need) or bfloat16 (half the bytes, rounded to nearest even; for inference).
 */
public enum StoredDtype {
    F32("F32", "fp32", Float.BYTES),
    BF16("BF16", "bf16", Short.BYTES);

    private final String header;
    private final String label;
    private final int bytes;

    StoredDtype(String header, String label, int bytes) {
        this.header = header;
        this.label = label;
        this.bytes = bytes;
    }

    /** "fp32" or "bf16", as {@code --dtype} and {@code --precision} spell it: what the commands' {@code weights_dtype} says. */
    public String label() {
        return label;
    }

    /** The dtype as the safetensors header spells it. */
    public String header() {
        return header;
    }

    public int bytes() {
        return bytes;
    }

    /** What {@code --dtype} and {@code --save-dtype} accept: fp32 or bf16 ({@code flag} names the option). */
    public static StoredDtype parse(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32" -> F32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new NvaeException(flag + " " + NvaeException.shown(value) + ": expected fp32 or bf16");
        };
    }
}
