package dev.nvae.model;

import java.util.List;
import java.util.Map;

/** A model read from a file, with the class names and training summary stored beside its weights. */
public record LoadedModel(LatentModel model, List<String> classNames, Map<String, Object> training) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
