package dev.nvae.backend.onednn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channels-last primitives fall back to "any" where oneDNN has only its reference code for NHWC. A deconvolution
 * is named after the convolution oneDNN runs it as ("conv:any+" and that one's name), so its reference code reads
 * "conv:any+ref:any" — which a test of the name's start missed (found by a review). Names as oneDNN 3.13 gives them.
 */
class ConvPrimitivesReferenceTest {
    @Test
    void referenceCodeIsKnownInAConvolutionAndInADeconvolution() {
        assertTrue(ConvPrimitives.reference("ref:any"));
        assertTrue(ConvPrimitives.reference("conv:any+ref:any"));
    }

    @Test
    void fastCodeIsNotTakenForReferenceCode() {
        for (String fast : new String[]{"brg_conv_fwd:avx10_1_512_amx", "conv:any+brgconv_bwd_w:avx10_1_512_amx",
                "conv:any+x64:gemm:jit", "jit:avx2", "brgconv_strided:avx2", "brg_deconv:avx2+brgconv_strided:avx2"}) {
            assertFalse(ConvPrimitives.reference(fast), fast);
        }
    }
}
