package dev.nvae.ffm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static org.junit.jupiter.api.Assertions.*;

class DnnlErrorsTest {

    @Test
    void negativeDimensionIsInvalidArguments() {
        try (DnnlScope s = new DnnlScope()) {
            DnnlException e = assertThrows(DnnlException.class, () -> s.md(dnnl_ab(), -1, 3));
            assertEquals("dnnl_memory_desc_create_with_tag failed: dnnl_invalid_arguments", e.getMessage());
            assertEquals("dnnl_memory_desc_create_with_tag", e.call());
            assertEquals(dnnl_invalid_arguments(), e.status());
            assertEquals("dnnl_invalid_arguments", e.statusName());
        }
    }

    @Test
    void matmulOfMismatchedShapesIsRejected() {
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment src = s.md(dnnl_ab(), 5, 7);
            MemorySegment wei = s.md(dnnl_ab(), 6, 3);  // K = 6, but src has K = 7
            MemorySegment dst = s.md(dnnl_ab(), 5, 3);
            DnnlException e = assertThrows(DnnlException.class, () -> s.primitiveDesc("dnnl_matmul_primitive_desc_create",
                    out -> dnnl_matmul_primitive_desc_create(out, s.engine, src, wei, MemorySegment.NULL, dst,
                            MemorySegment.NULL)));
            System.out.println(e.getMessage());
            assertEquals("dnnl_matmul_primitive_desc_create failed: dnnl_invalid_arguments", e.getMessage());
        }
    }

    @Test
    void statusNamesComeFromTheHeaderEnum() {
        assertEquals("dnnl_success", DnnlStatus.name(0));
        assertEquals("dnnl_unimplemented", DnnlStatus.name(dnnl_unimplemented()));
        assertEquals("dnnl_status_t(99)", DnnlStatus.name(99));
        DnnlStatus.check("anything", dnnl_success());
        DnnlException e = assertThrows(DnnlException.class, () -> DnnlStatus.check("dnnl_primitive_create", 5));
        assertEquals("dnnl_primitive_create failed: dnnl_runtime_error", e.getMessage());
    }
}
