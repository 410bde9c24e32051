package dev.nvae.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into plain Java values with Jackson's streaming parser: objects as insertion-ordered
 * {@code Map<String, Object>}, arrays as {@code List<Object>}, strings, integers as {@link Long} (or
 * {@link java.math.BigInteger} beyond a long), other numbers as {@link Double}, booleans, and null.
 *
 * <p>Why not databind's tree: every command that opens a model reads two small JSON texts, and in a fresh
 * JVM building an {@code ObjectMapper} costs more than the rest of loading the model (~0.2 s of one core,
 * mostly class initialisation) — a fifth of {@code sample}'s budget. The streaming parser is the same
 * tokenizer without that set-up. Strict: a duplicate key or anything after the root value is an error.
 */
public final class JsonText {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson caps strings at 20 MB by default; a legal safetensors header (e.g. a long metadata
            // value) may be larger.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) SafeTensors.MAX_HEADER_BYTES).build())
            .build();

    private JsonText() {
    }

    /**
     * @throws JsonProcessingException for text that is not one well-formed JSON value; its
     *                                 {@code getOriginalMessage()} says what and where ("Duplicate field 'a'", ...)
     */
    public static Object parse(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new JsonParseException(p, "No content to map due to end-of-input");
            Object value = value(p, first);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {  // a String source cannot fail to read; kept for the checked signature
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why {@code e} refused the text, in one line a user can read: Jackson's first line without its
     * internal hints — the character codes, the list of what a JSON value may be, the parser features a programmer
     * could enable (for NaN, a leading +, a comment), the constraint that sets a limit, the source location
     * ("Unrecognized token 'nvae'", "Unexpected character ('}'): expected a value").
     */
    public static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("");
        return m.replaceAll(" \\(code -?\\d+\\)", "")
                .replaceAll(" \\(code \\d+ / 0x([0-9a-f]+)\\)", " (U+$1)")
                .replaceAll("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)", "(control character $1)")
                .replaceAll(": enable `JsonReadFeature\\.\\w+` to allow", "")
                .replaceAll(", from `StreamReadConstraints\\.\\w+\\(\\)`\\)", ")")
                .replaceAll(" \\(not recognized as one since Feature '\\w+' not enabled for parser\\)", "")
                .replaceAll(": was expecting \\(JSON String.*$", "")
                .replaceAll("expected a valid value \\(JSON String.*$", "expected a value")
                .replaceAll(" \\(start marker at .*$", "")
                .replaceAll(" \\((?:for input|of type)[^)]*\\)", "")
                .strip();
    }

    /** The next token inside an open object or array, where the end of the text is an error. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new JsonParseException(p, "Unexpected end-of-input inside an object or array");
        return t;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken k = next(p); k != JsonToken.END_OBJECT; k = next(p)) {
                    String key = p.currentName();
                    object.put(key, value(p, next(p)));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken e = next(p); e != JsonToken.END_ARRAY; e = next(p)) array.add(value(p, e));
                yield array;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(p, "Unexpected token " + t);
        };
    }
}
