/**
 * Optional CUDA, through the same FFM layer as oneDNN; nothing CUDA-related is bundled.
 * {@link dev.nvae.ffm.cuda.CudaLibraries} finds and loads libcudart, libcublas, libnvrtc and libcuda (once per
 * process, with overrides); {@link dev.nvae.ffm.cuda.CudaRuntime#probe()} asks the runtime for devices and never
 * throws; {@link dev.nvae.ffm.cuda.CudaErrors} turns every status into a {@link dev.nvae.ffm.cuda.CudaException}
 * naming the call and the library's message. The bindings, in the shape jextract emits, are
 * {@link dev.nvae.ffm.cuda.cuda_runtime_api_h}, {@link dev.nvae.ffm.cuda.cublas_v2_h},
 * {@link dev.nvae.ffm.cuda.nvrtc_h} and {@link dev.nvae.ffm.cuda.cuda_h}.
 */
package dev.nvae.ffm.cuda;
