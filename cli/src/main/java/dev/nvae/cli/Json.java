package dev.nvae.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON writer of the CLI: log lines and reports are maps with snake_case keys in insertion order. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Rounds to {@code decimals} places so log lines stay readable, as a model file's training record does. */
    static double round(double v, int decimals) {
        return dev.nvae.train.TrainingRecord.round(v, decimals);
    }

    /** JSON has no NaN: a quantity a model does not have (a baseline's accuracy) is written as null. */
    static Double finiteOrNull(double v) {
        return dev.nvae.train.TrainingRecord.finiteOrNull(v);
    }
}
