package dev.nvae.model;

import dev.nvae.io.StoredDtype;

import java.util.List;
import java.util.Map;

/**
 * A model read from a file, with the class names and training summary stored beside its weights.
 *
 * @param storedDtype how the file stores the weights: {@link StoredDtype#BF16} for one written by
 *                    {@code train --save-dtype bf16} or {@code export --dtype bf16} (every weight rounded to bfloat16,
 *                    widened exactly when read; also a file any of whose tensors is BF16), else {@link StoredDtype#F32}
 */
public record LoadedModel(LatentModel model, List<String> classNames, Map<String, Object> training, StoredDtype storedDtype)
        implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
