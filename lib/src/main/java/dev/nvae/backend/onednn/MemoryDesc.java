package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code dnnl_memory_desc_t} describing a row-major tensor (f32 unless a data type is given), or a
 * transposed view of one through strides. Only used while a primitive descriptor is created: primitive descriptors and memory objects
 * keep their own copies, so a descriptor is closed as soon as its primitive exists.
 */
final class MemoryDesc implements AutoCloseable {
    private final MemorySegment handle;
    private boolean closed;

    private MemoryDesc(MemorySegment handle) {
        this.handle = handle;
    }

    /** (rows, cols) stored row-major: element (r, c) at r·cols + c. */
    static MemoryDesc rowMajor(long rows, long cols) {
        return rowMajor(rows, cols, dnnl_f32());
    }

    /** As {@link #rowMajor(long, long)} with elements of {@code dataType} (a dnnl_data_type_t: dnnl_bf16, ...). */
    static MemoryDesc rowMajor(long rows, long cols, int dataType) {
        return strided(rows, cols, cols, 1, dataType);
    }

    /**
     * (rows, cols) stored column-major: element (r, c) at c·rows + r — the transpose of a row-major
     * (cols, rows) tensor, read in place.
     */
    static MemoryDesc transposedView(long rows, long cols) {
        return transposedView(rows, cols, dnnl_f32());
    }

    /** As {@link #transposedView(long, long)} with elements of {@code dataType}. */
    static MemoryDesc transposedView(long rows, long cols, int dataType) {
        return strided(rows, cols, 1, rows, dataType);
    }

    private static MemoryDesc strided(long rows, long cols, long rowStride, long colStride, int dataType) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment dims = scratch.allocate(dnnl_dims_t);
            MemorySegment strides = scratch.allocate(dnnl_dims_t);
            dims.setAtIndex(JAVA_LONG, 0, rows);
            dims.setAtIndex(JAVA_LONG, 1, cols);
            strides.setAtIndex(JAVA_LONG, 0, rowStride);
            strides.setAtIndex(JAVA_LONG, 1, colStride);
            return new MemoryDesc(Handles.create("dnnl_memory_desc_create_with_strides",
                    out -> dnnl_memory_desc_create_with_strides(out, 2, dims, dataType, strides)));
        }
    }

    /**
     * An f32 tensor of {@code dims} (outermost first) in the layout {@code tag}, a {@code dnnl_format_tag_t}:
     * a plain one such as nchw, or {@code dnnl_format_tag_any} to let a primitive choose.
     */
    static MemoryDesc tagged(int tag, long... dims) {
        return typed(dnnl_f32(), tag, dims);
    }

    /** As {@link #tagged(int, long...)} with elements of {@code dataType} (a dnnl_data_type_t). */
    static MemoryDesc typed(int dataType, int tag, long... dims) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment d = scratch.allocate(dnnl_dims_t);
            for (int i = 0; i < dims.length; i++) d.setAtIndex(JAVA_LONG, i, dims[i]);
            return new MemoryDesc(Handles.create("dnnl_memory_desc_create_with_tag",
                    out -> dnnl_memory_desc_create_with_tag(out, dims.length, d, dataType, tag)));
        }
    }

    MemorySegment handle() {
        return handle;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DnnlStatus.check("dnnl_memory_desc_destroy", dnnl_memory_desc_destroy(handle));
    }
}
