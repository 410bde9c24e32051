/**
 * Optional CUDA runtime: {@link dev.nvae.ffm.cuda.CudaRuntime#probe()} finds libcudart (never throws), and
 * {@link dev.nvae.ffm.cuda.cuda_runtime_api_h} holds the few bindings, in the shape jextract emits.
 */
package dev.nvae.ffm.cuda;
