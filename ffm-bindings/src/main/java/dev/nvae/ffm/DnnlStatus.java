package dev.nvae.ffm;

import java.util.Map;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.util.Map.entry;

/**
 * The one checker every {@code dnnl_status_t} goes through (as oneDNN's {@code CHECK(f)} in
 * examples/example_utils.h, jextract's samples/onnx {@code call(...)}):
 * {@snippet :
 * DnnlStatus.check("dnnl_engine_create", dnnl_engine_create(engineOut, dnnl_cpu(), 0));
 * }
 * The names come from the enumerators of {@code dnnl_status_t} (include/oneapi/dnnl/dnnl_common_types.h),
 * so they work even when the library is not loaded.
 */
public final class DnnlStatus {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            entry(dnnl_success(), "dnnl_success"),
            entry(dnnl_out_of_memory(), "dnnl_out_of_memory"),
            entry(dnnl_invalid_arguments(), "dnnl_invalid_arguments"),
            entry(dnnl_unimplemented(), "dnnl_unimplemented"),
            entry(dnnl_last_impl_reached(), "dnnl_last_impl_reached"),
            entry(dnnl_runtime_error(), "dnnl_runtime_error"),
            entry(dnnl_not_required(), "dnnl_not_required"),
            entry(dnnl_invalid_graph(), "dnnl_invalid_graph"),
            entry(dnnl_invalid_graph_op(), "dnnl_invalid_graph_op"),
            entry(dnnl_invalid_shape(), "dnnl_invalid_shape"),
            entry(dnnl_invalid_data_type(), "dnnl_invalid_data_type"));

    private DnnlStatus() {
    }

    /**
     * Throws {@link DnnlException} naming {@code call} and the status unless {@code status} is
     * {@code dnnl_success}.
     */
    public static void check(String call, int status) {
        if (status != dnnl_success()) {
            throw new DnnlException(call, status);
        }
    }

    /** The enumerator name of a {@code dnnl_status_t}, or {@code "dnnl_status_t(<n>)"} for an unknown value. */
    public static String name(int status) {
        String name = NAMES.get(status);
        return name != null ? name : "dnnl_status_t(" + status + ")";
    }
}
