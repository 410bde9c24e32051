/**
 * The CUDA side of the {@code cuda} backend: one device with its stream, cuBLAS handle and NVRTC-compiled
 * kernels ({@link dev.nvae.backend.cuda.CudaDevice}), device buffers, and the weights a backend keeps
 * resident there. {@link dev.nvae.backend.CudaBackend} maps the layers' operations onto them. Nothing here
 * is loaded unless {@code --backend cuda} (or {@code nvae info}) asks for CUDA.
 */
package dev.nvae.backend.cuda;
