package dev.nvae.ffm;

/**
 * A oneDNN call returned a {@code dnnl_status_t} other than {@code dnnl_success}. The message names the call
 * and the status, e.g. {@code "dnnl_matmul_primitive_desc_create failed: dnnl_invalid_arguments"}.
 * Thrown by {@link DnnlStatus#check(String, int)}.
 */
public final class DnnlException extends RuntimeException {

    private final String call;
    private final int status;

    public DnnlException(String call, int status) {
        super(call + " failed: " + DnnlStatus.name(status));
        this.call = call;
        this.status = status;
    }

    /** The C function that failed, e.g. {@code "dnnl_primitive_create"}. */
    public String call() {
        return call;
    }

    /** The raw {@code dnnl_status_t} value. */
    public int status() {
        return status;
    }

    /** The status's enumerator name, e.g. {@code "dnnl_unimplemented"}. */
    public String statusName() {
        return DnnlStatus.name(status);
    }
}
