/** Native bindings (oneDNN C API, CUDA runtime) on java.lang.foreign, in the shape jextract emits. */
package dev.nvae.ffm;
