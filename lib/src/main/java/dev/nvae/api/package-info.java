/**
 * nvae's public API: open a trained model and sample, encode, score and reconstruct with it from any number
 * of threads ({@link dev.nvae.api.NvaeModel}), or train one ({@link dev.nvae.api.Training}).
 *
 * <p>This is the only package the {@code dev.nvae} module exports; everything else in the jar is internal and
 * may change in any release. Its types mention nothing but {@code java.*} and each other.
 */
package dev.nvae.api;
