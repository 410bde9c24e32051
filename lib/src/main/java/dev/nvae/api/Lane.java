package dev.nvae.api;

import dev.nvae.backend.Backend;
import dev.nvae.model.LatentModel;

/**
 * One call's worth of compute: a copy of the model (its weights, and whatever per-pass state its layers
 * keep) and a backend, both driven by one thread at a time. Owned by its {@link LanePool}; closed with it.
 */
record Lane(LatentModel model, Backend backend) implements AutoCloseable {
    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            model.close();
        }
    }
}
