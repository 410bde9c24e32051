package dev.nvae.api;

/**
 * The arithmetic of an open model's matrix products.
 *
 * <p>Only {@link #FP32} exists today. Reduced precision (bf16 inputs with fp32 accumulation, on CPUs with
 * AVX512_BF16 or AMX) arrives as a new constant here when its kernels do; adding a constant does not break
 * code written against this version, and {@link NvaeModel#open(java.nio.file.Path, ModelOptions)} will refuse a
 * precision the chosen backend cannot run rather than quietly computing in another one.
 */
public enum Precision {
    /** IEEE single precision throughout: the reference every result of this library is checked against. */
    FP32
}
