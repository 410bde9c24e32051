package dev.nvae.ffm.dnnl;

/**
 * The function-like macros of the oneDNN headers that the bindings need. jextract skips function-like macros,
 * so these are written out by hand next to the generated-shape classes (listed as a comment in
 * jextract-includes.txt); each body is the macro's body from include/oneapi/dnnl/dnnl_types.h.
 */
public final class DnnlMacros {

    private DnnlMacros() {
    }

    /**
     * {@snippet lang=c :
     * #define DNNL_ARG_ATTR_MULTIPLE_POST_OP(idx) \
     *     (DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE * ((idx) + 1))
     * }
     * The execute-argument number of post-op {@code idx}'s extra input; a binary post-op's second operand is
     * {@code DNNL_ARG_ATTR_MULTIPLE_POST_OP(idx) | DNNL_ARG_SRC_1}.
     */
    public static int DNNL_ARG_ATTR_MULTIPLE_POST_OP(int idx) {
        return dnnl_h.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE() * (idx + 1);
    }
}
