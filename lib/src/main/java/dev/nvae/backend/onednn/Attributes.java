package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * Primitive attributes every primitive of the backend is created with: a user-provided scratchpad (one
 * buffer the backend owns and shares between primitives, instead of oneDNN allocating per primitive),
 * strict f32 math (no implicit bf16/tf32 down-conversion, so results stay comparable with the vector
 * backend) and at most one post-op. The primitive descriptor copies the attributes, so this object lives
 * only while one is created.
 */
final class Attributes implements AutoCloseable {
    /** What runs on the primitive's result before it is stored. */
    enum PostOp {
        NONE,
        /** dst = max(0, result): the ReLU fused into a linear layer's forward pass. */
        RELU,
        /** dst = dst + result: accumulate into the destination, as weight gradients must. */
        SUM
    }

    private final MemorySegment handle;
    private boolean closed;

    Attributes(PostOp postOp) {
        handle = Handles.create("dnnl_primitive_attr_create", out -> dnnl_primitive_attr_create(out));
        try {
            DnnlStatus.check("dnnl_primitive_attr_set_scratchpad_mode",
                    dnnl_primitive_attr_set_scratchpad_mode(handle, dnnl_scratchpad_mode_user()));
            DnnlStatus.check("dnnl_primitive_attr_set_fpmath_mode",
                    dnnl_primitive_attr_set_fpmath_mode(handle, dnnl_fpmath_mode_strict()));
            if (postOp != PostOp.NONE) setPostOp(postOp);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void setPostOp(PostOp postOp) {
        MemorySegment ops = Handles.create("dnnl_post_ops_create", out -> dnnl_post_ops_create(out));
        try {
            if (postOp == PostOp.RELU) {
                DnnlStatus.check("dnnl_post_ops_append_eltwise",
                        dnnl_post_ops_append_eltwise(ops, dnnl_eltwise_relu(), 0f, 0f));
            } else {
                // Scale 1, no zero point, dst keeps its own data type.
                DnnlStatus.check("dnnl_post_ops_append_sum",
                        dnnl_post_ops_append_sum(ops, 1f, 0, dnnl_data_type_undef()));
            }
            DnnlStatus.check("dnnl_primitive_attr_set_post_ops", dnnl_primitive_attr_set_post_ops(handle, ops));
        } finally {
            DnnlStatus.check("dnnl_post_ops_destroy", dnnl_post_ops_destroy(ops)); // the attribute holds a copy
        }
    }

    MemorySegment handle() {
        return handle;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DnnlStatus.check("dnnl_primitive_attr_destroy", dnnl_primitive_attr_destroy(handle));
    }
}
