package dev.nvae.api;

/**
 * The arithmetic of an open model's matrix products.
 *
 * <p>{@link NvaeModel#open(java.nio.file.Path, ModelOptions)} refuses a precision it cannot run rather than
 * quietly computing in another one: a model with convolution layers is refused at {@link #BF16} except on
 * oneDNN where the CPU multiplies bf16 (the vector kernels have no bf16 convolutions).
 */
public enum Precision {
    /** IEEE single precision throughout: the reference every result of this library is checked against. */
    FP32,
    /**
     * The products' inputs rounded to bfloat16 — the weights from bf16 copies made once when the model opens —
     * accumulated and written in float32; activations and every other step stay float32. Runs on any CPU:
     * oneDNN's bf16 matmul and convolutions where the CPU has avx512_bf16 or amx_bf16, else kernels that widen
     * bf16 weights in registers (dense layers only). Results differ from {@link #FP32} by bf16 rounding (about three significant digits).
     */
    BF16
}
