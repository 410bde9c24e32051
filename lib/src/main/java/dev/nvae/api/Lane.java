package dev.nvae.api;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Bf16Backend;
import dev.nvae.model.LatentModel;

/**
 * One call's worth of compute: a copy of the model (its weights, built for inference: no gradients) and a
 * backend, both driven by one thread at a time. Owned by its {@link LanePool}; closed with it.
 */
record Lane(LatentModel model, Backend backend) implements AutoCloseable {
    /**
     * Bytes of native memory held for as long as the lane lives: the model's weights (built for inference, no
     * gradients) and, at bf16, the backend's copies of them. A call's workspace, and what oneDNN creates per
     * shape on first use, come and go or are small beside them, and are not counted.
     */
    long nativeBytes() {
        return model.parameterStorageBytes() + (backend instanceof Bf16Backend bf16 ? bf16.adoptedBytes() : 0);
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            model.close();
        }
    }
}
