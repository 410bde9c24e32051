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

    /** Rounds to {@code decimals} places so log lines stay readable; NaN and infinities pass through. */
    static double round(double v, int decimals) {
        if (!Double.isFinite(v)) return v;
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** JSON has no NaN: a quantity a model does not have (a baseline's accuracy) is written as null. */
    static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
