package dev.nvae.cli.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nvae.api.InvalidRequestException;
import dev.nvae.io.DecimalsAsTyped;
import dev.nvae.io.JsonText;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON request body: one object whose fields are checked by name and type, each failure a 400 naming the
 * field. An {@code images} field — an array of images, each a flat array of values, an array of rows of values,
 * or an array of channels of rows — is streamed straight into a float array (a megabyte of numbers would be tens of megabytes as a
 * tree); the other fields are small and read as trees.
 */
final class JsonRequest {
    /** Strict: a field given twice is an error, not "the last one wins". */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Map<String, JsonNode> fields;
    /** Each number field as the client wrote it ("0", "1e999"): a message echoes that, not Java's "0.0" or "Infinity". */
    private final Map<String, String> typed;
    private final float[] images;     // (count, channels·height·width), or null when there was no images field
    private final int count, channels, height, width;

    private JsonRequest(Map<String, JsonNode> fields, Map<String, String> typed, float[] images, int count, int channels, int height, int width) {
        this.fields = fields;
        this.typed = typed;
        this.images = images;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * @param allowed   the field names this endpoint takes (an unknown one is a 400, so a typo is not ignored)
     * @param maxImages most images the {@code images} field may hold (more is a 413)
     */
    static JsonRequest parse(byte[] body, Set<String> allowed, int maxImages) {
        if (body.length == 0) return new JsonRequest(Map.of(), Map.of(), null, 0, 0, 0, 0);
        Map<String, JsonNode> fields = new HashMap<>();
        Map<String, String> typed = new HashMap<>();
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
                    if (p.currentToken().isNumeric()) typed.put(name, p.getText());
                    fields.put(name, MAPPER.readTree(p));
                }
            }
            if (p.nextToken() != null) throw new HttpError(400, "body", "text after the JSON object");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new HttpError(400, "body", "malformed JSON" + where + ": " + JsonText.reason(e));  // without Jackson's hints
        } catch (IOException e) {
            throw new HttpError(400, "body", "unreadable: " + e.getMessage());
        }
        return images == null ? new JsonRequest(fields, typed, null, 0, 0, 0, 0)
                : new JsonRequest(fields, typed, images.values(), images.count, images.channels, images.height, images.width);
    }

    /**
     * Whether the request gives {@code name}. A null is refused, not taken for an absent field: {"n": null} drew the
     * default one image and {"class": null} was called missing, where the caller had written both.
     */
    boolean has(String name) {
        if (!fields.containsKey(name)) return false;
        if (fields.get(name).isNull()) throw new HttpError(400, name, "null; give a value, or leave the field out for its default");
        return true;
    }

    /** An integer field in [min, max], or {@code fallback} when absent; outside the range is a 400 saying which bound. */
    long integer(String name, long fallback, long min, long max) {
        if (!has(name)) return fallback;
        JsonNode n = fields.get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new HttpError(400, name, "expected an integer, got " + shown(name, n));
        long v = n.longValue();
        if (v < min) throw new HttpError(400, name, v + " is below the minimum of " + min);
        if (v > max) throw new HttpError(400, name, v + " is above the limit of " + max);
        return v;
    }

    /** A number field, or {@code fallback} when absent. */
    double number(String name, double fallback) {
        if (!has(name)) return fallback;
        JsonNode n = fields.get(name);
        if (!n.isNumber()) throw new HttpError(400, name, "expected a number, got " + shown(name, n));
        return n.doubleValue();
    }

    /** A class given by name (a string) or index (an integer), as text; null when absent. */
    String classRef(String name) {
        if (!has(name)) return null;
        JsonNode n = fields.get(name);
        if (n.isTextual()) return n.textValue();
        // Any integer: one past an int's range is no class of the model, as the model says, not "no integer".
        if (n.isIntegralNumber()) return n.asText();
        throw new HttpError(400, name, "expected a class name (a string) or index (an integer), got " + shown(name, n));
    }

    /** An array of integers, or null when absent. */
    int[] integers(String name) {
        if (!has(name)) return null;
        JsonNode n = fields.get(name);
        if (!n.isArray()) throw new HttpError(400, name, "expected an array of integers, got " + shown(name, n));
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

    int imageChannels() {
        return channels;
    }

    int imageHeight() {
        return height;
    }

    int imageWidth() {
        return width;
    }

    /**
     * {@code e}, a refusal of a number field's value by the API (which renders the value as Java does: "sigma: 0.0",
     * "sigma: Infinity"), as an answer that echoes the value as the client wrote it.
     */
    HttpError asTyped(InvalidRequestException e) {
        String field = e.field(), as = typed.get(field);
        String message = as == null ? e.getMessage() : DecimalsAsTyped.restore(e.getMessage(), field + ":", List.of(as), false);
        String prefix = field + ": ";
        return new HttpError(400, field, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /** A field's value in a message: a number as the client wrote it, else as JSON, cut short. */
    private String shown(String name, JsonNode n) {
        String as = typed.get(name);
        return as != null && n.isNumber() ? shown(as) : shown(n);
    }

    private static String shown(JsonNode n) {
        return shown(n.toString());
    }

    private static String shown(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * Streams the images — each a flat array of D values, rows of values (H, W), or channels of rows (C, H, W), as
     * an RGB model's images are — into one float array, every image of image 0's shape.
     */
    private static final class ImageArray {
        /** An image nests at most channels, rows and values. */
        private static final int MAX_DEPTH = 3;
        private float[] values = new float[4096];
        private int size, count;
        private int depth = -1;                 // arrays nested in an image, learnt from image 0
        private final int[] shape = {-1, -1, -1};  // image 0's length at each level; -1 until read
        private int channels, height, width;

        static ImageArray read(JsonParser p, int maxImages) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) throw new HttpError(400, "images", "expected an array of images");
            ImageArray a = new ImageArray();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_ARRAY) throw new HttpError(400, "images", "image " + a.count + " is not an array");
                if (++a.count > maxImages) throw new HttpError(413, "images", "more than the limit of " + maxImages + " images in one call");
                a.readLevel(p, p.nextToken(), 0);
                if (a.count == 1) {
                    if (a.size == 0) throw new HttpError(400, "images", "image 0 is empty");
                    // (D) is one row of D values, (H, W) one channel of H rows: the model's (C, H, W) either way.
                    a.channels = a.depth == 3 ? a.shape[0] : 1;
                    a.height = a.depth >= 2 ? a.shape[a.depth - 2] : 1;
                    a.width = a.shape[a.depth - 1];
                }
            }
            if (a.count == 0) throw new HttpError(400, "images", "no images given");
            return a;
        }

        /**
         * The rest of an array of image {@code count - 1} at {@code level} (0: the image itself) whose first element's
         * token is {@code t}: its length is the image's size at that level, which image 0 sets and the others match.
         */
        private void readLevel(JsonParser p, JsonToken t, int level) throws IOException {
            int image = count - 1;
            if (depth < 0 && t != JsonToken.START_ARRAY) depth = level + 1;  // numbers here: the innermost level
            if (depth < 0 && level == MAX_DEPTH - 1) {
                throw new HttpError(400, "images", "image 0 nests arrays deeper than channels, rows and values");
            }
            int length = 0;
            for (; t != JsonToken.END_ARRAY; t = p.nextToken(), length++) {
                if (depth < 0 || level < depth - 1) {
                    if (t != JsonToken.START_ARRAY) {
                        throw new HttpError(400, "images", "image " + image + " holds " + shown(p, t) + " where image 0 has an array");
                    }
                    readLevel(p, p.nextToken(), level + 1);
                } else {
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw new HttpError(400, "images", "image " + image + " holds " + shown(p, t) + ", not a number");
                    }
                    float v = p.getFloatValue();
                    // Refused here, where the value's text is at hand: Images.ofFloats would say 1e999 as "Infinity", 2 as "2.0".
                    if (!(v >= 0f && v <= 1f)) {
                        throw new HttpError(400, "images", "value " + JsonRequest.shown(p.getText()) + " of image " + image + " is outside [0, 1]");
                    }
                    if (size == values.length) values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
                    values[size++] = v;
                }
            }
            if (image == 0 && shape[level] >= 0 && shape[level] != length) {
                throw new HttpError(400, "images", "image 0 has " + (level == depth - 1 ? "rows of different lengths" : "channels of different heights"));
            }
            if (image == 0) {
                shape[level] = length;
            } else if (length != shape[level]) {
                throw new HttpError(400, "images", "image " + image + " is not the shape of image 0 (" + describe() + ")");
            }
        }

        private String describe() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < depth; i++) b.append(i == 0 ? "" : "x").append(shape[i]);
            return b.toString();
        }

        private static String shown(JsonParser p, JsonToken t) throws IOException {
            return t == null ? "nothing" : t == JsonToken.START_ARRAY ? "an array" : p.getText();
        }

        float[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
