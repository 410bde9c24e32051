package dev.nvae.ffm.cuda;

/**
 * A CUDA library could not be loaded. The message is one line naming what was tried and why it failed, e.g.
 * {@code "no cuBLAS library found (tried libcublas.so.13, libcublas.so.12, libcublas.so; ...)"} or
 * {@code "cannot load NVAE_CUBLAS_LIBRARY=/x/libcublas.so.13: /x/libcublas.so.13: cannot open shared object
 * file: No such file or directory"}.
 */
public final class CudaUnavailableException extends RuntimeException {

    public CudaUnavailableException(String message) {
        super(message);
    }
}
