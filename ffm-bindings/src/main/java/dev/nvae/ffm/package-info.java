/**
 * Native libraries on java.lang.foreign: loading oneDNN without a system install ({@link
 * dev.nvae.ffm.NativeLibraries}, {@link dev.nvae.ffm.DnnlLibrary}), the status checker ({@link
 * dev.nvae.ffm.DnnlStatus}) and exceptions. The bindings, in the shape jextract emits, are in
 * {@code dev.nvae.ffm.dnnl} (oneDNN, OpenMP) and {@code dev.nvae.ffm.cuda} (CUDA runtime probe).
 */
package dev.nvae.ffm;
