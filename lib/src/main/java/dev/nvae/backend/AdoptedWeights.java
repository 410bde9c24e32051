package dev.nvae.backend;

import java.lang.foreign.MemorySegment;

/**
 * A backend's hold on the weights of the layers it runs ({@link Backend#adoptWeights}): whatever it derived
 * from them — the bf16 copies of a bf16 backend — until closed.
 */
public interface AdoptedWeights extends AutoCloseable {
    /** What a float32 backend returns: it reads the weights themselves, so there is nothing to redo. */
    AdoptedWeights NONE = new AdoptedWeights() {
        @Override
        public void changed() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * The weights were written (an optimiser step, a checkpoint restored): derive again what was derived
     * from them, before the next pass. Training calls this once per step.
     */
    void changed();

    /**
     * Where an optimiser may write the weights rounded to bf16 as it updates them — a flat buffer in the
     * parameters' own layout (element i is parameter i) — which then stands for {@link #changed()}; null
     * when the copies are not kept that way (float32 backends; the vector kernels' paired layout).
     */
    default MemorySegment bf16Image() {
        return null;
    }

    @Override
    void close();
}
