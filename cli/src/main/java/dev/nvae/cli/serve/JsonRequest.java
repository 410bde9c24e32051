package dev.nvae.cli.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A JSON request body: one object whose fields are checked by name and type, each failure a 400 naming the
 * field. An {@code images} field — an array of images, each an array of rows of pixel values, or a flat array
 * of values — is streamed straight into a float array (a megabyte of numbers would be tens of megabytes as a
 * tree); the other fields are small and read as trees.
 */
final class JsonRequest {
    /** Strict: a field given twice is an error, not "the last one wins". */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Map<String, JsonNode> fields;
    private final float[] images;     // (count, height·width), or null when there was no images field
    private final int count, height, width;

    private JsonRequest(Map<String, JsonNode> fields, float[] images, int count, int height, int width) {
        this.fields = fields;
        this.images = images;
        this.count = count;
        this.height = height;
        this.width = width;
    }

    /**
     * @param allowed   the field names this endpoint takes (an unknown one is a 400, so a typo is not ignored)
     * @param maxImages most images the {@code images} field may hold (more is a 413)
     */
    static JsonRequest parse(byte[] body, Set<String> allowed, int maxImages) {
        if (body.length == 0) return new JsonRequest(Map.of(), null, 0, 0, 0);
        Map<String, JsonNode> fields = new HashMap<>();
        ImageArray images = null;
        try (JsonParser p = MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new HttpError(400, "body", "expected a JSON object");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (!allowed.contains(name)) {
                    throw new HttpError(400, name, "unknown field; expected " + String.join(", ", allowed.stream().sorted().toList()));
                }
                p.nextToken();
                if (name.equals("images")) {
                    images = ImageArray.read(p, maxImages);
                } else {
                    fields.put(name, MAPPER.readTree(p));
                }
            }
            if (p.nextToken() != null) throw new HttpError(400, "body", "text after the JSON object");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new HttpError(400, "body", "malformed JSON" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new HttpError(400, "body", "unreadable: " + e.getMessage());
        }
        return images == null ? new JsonRequest(fields, null, 0, 0, 0)
                : new JsonRequest(fields, images.values(), images.count, images.height, images.width);
    }

    boolean has(String name) {
        return fields.containsKey(name) && !fields.get(name).isNull();
    }

    /** An integer field in [min, max], or {@code fallback} when absent; outside the range is a 400 saying which bound. */
    long integer(String name, long fallback, long min, long max) {
        if (!has(name)) return fallback;
        JsonNode n = fields.get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new HttpError(400, name, "expected an integer, got " + shown(n));
        long v = n.longValue();
        if (v < min) throw new HttpError(400, name, v + " is below the minimum of " + min);
        if (v > max) throw new HttpError(400, name, v + " is above the limit of " + max);
        return v;
    }

    /** A number field, or {@code fallback} when absent. */
    double number(String name, double fallback) {
        if (!has(name)) return fallback;
        JsonNode n = fields.get(name);
        if (!n.isNumber()) throw new HttpError(400, name, "expected a number, got " + shown(n));
        return n.doubleValue();
    }

    /** A class given by name (a string) or index (an integer), as text; null when absent. */
    String classRef(String name) {
        if (!has(name)) return null;
        JsonNode n = fields.get(name);
        if (n.isTextual()) return n.textValue();
        if (n.isIntegralNumber() && n.canConvertToInt()) return Integer.toString(n.intValue());
        throw new HttpError(400, name, "expected a class name (a string) or index (an integer), got " + shown(n));
    }

    /** An array of integers, or null when absent. */
    int[] integers(String name) {
        if (!has(name)) return null;
        JsonNode n = fields.get(name);
        if (!n.isArray()) throw new HttpError(400, name, "expected an array of integers, got " + shown(n));
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) throw new HttpError(400, name, "element " + i + " is " + shown(e) + ", not an integer");
            out[i] = e.intValue();
        }
        return out;
    }

    boolean hasImages() {
        return images != null;
    }

    float[] images() {
        return images;
    }

    int imageCount() {
        return count;
    }

    int imageHeight() {
        return height;
    }

    int imageWidth() {
        return width;
    }

    private static String shown(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Streams [[v, ...], ...] (N, D) or [[[v, ...], ...], ...] (N, H, W) into one float array. */
    private static final class ImageArray {
        private float[] values = new float[4096];
        private int size, count, height, width;

        static ImageArray read(JsonParser p, int maxImages) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) throw new HttpError(400, "images", "expected an array of images");
            ImageArray a = new ImageArray();
            int depth = -1;  // 2: flat images, 3: images of rows
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_ARRAY) throw new HttpError(400, "images", "image " + a.count + " is not an array");
                if (++a.count > maxImages) throw new HttpError(413, "images", "more than the limit of " + maxImages + " images in one call");
                JsonToken first = p.nextToken();
                if (depth < 0) depth = first == JsonToken.START_ARRAY ? 3 : 2;
                int rows = 0, before = a.size;
                if (depth == 2) {
                    a.readRow(p, first);
                    rows = 1;
                } else {
                    for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t != JsonToken.START_ARRAY) throw new HttpError(400, "images", "image " + (a.count - 1) + ": a row is not an array");
                        int rowStart = a.size;
                        a.readRow(p, p.nextToken());
                        if (rows == 0 && a.count == 1) a.width = a.size - rowStart;
                        if (a.size - rowStart != a.width) throw new HttpError(400, "images", "image " + (a.count - 1) + " has rows of different lengths");
                        rows++;
                    }
                }
                int values = a.size - before;
                if (a.count == 1) {
                    a.height = depth == 2 ? 1 : rows;
                    if (depth == 2) a.width = values;
                    if (values == 0) throw new HttpError(400, "images", "image 0 is empty");
                } else if ((depth == 2 ? 1 : rows) != a.height || values != a.height * a.width) {
                    throw new HttpError(400, "images", "image " + (a.count - 1) + " is not the size of image 0 (" + a.height + "x" + a.width + ")");
                }
            }
            if (a.count == 0) throw new HttpError(400, "images", "no images given");
            return a;
        }

        /** Numbers up to the END_ARRAY that closes the row whose first token is {@code t}. */
        private void readRow(JsonParser p, JsonToken t) throws IOException {
            for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new HttpError(400, "images", "image " + (count - 1) + " holds " + (t == null ? "nothing" : p.getText()) + ", not a number");
                }
                if (size == values.length) values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
                values[size++] = p.getFloatValue();
            }
        }

        float[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
