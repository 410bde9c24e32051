package dev.nvae.backend;

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

    @Override
    void close();
}
