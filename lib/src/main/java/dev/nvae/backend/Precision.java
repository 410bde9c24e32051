package dev.nvae.backend;

import dev.nvae.NvaeException;

import java.util.Locale;

/**
 * The number format of a backend's matrix products — a property of how layers execute, not of the model:
 * parameters, optimiser state, activations and the loss stay float32 either way.
 * <ul>
 *   <li>{@link #FP32}: every product in float32, the reference.</li>
 *   <li>{@link #BF16}: the products' inputs rounded to bfloat16, accumulated and written in float32. Weights
 *       are read from bf16 copies the backend makes from the float32 ones — once for weights loaded for
 *       inference, after every optimiser step in training (see {@link Backend#adoptWeights}).</li>
 * </ul>
 */
public enum Precision {
    FP32, BF16;

    /** What {@code --precision} accepts: fp32 or bf16. */
    public static Precision parse(String flag) {
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new NvaeException("--precision " + NvaeException.shown(flag) + ": expected fp32 or bf16");
        };
    }

    /** "fp32" or "bf16", as the flag spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
