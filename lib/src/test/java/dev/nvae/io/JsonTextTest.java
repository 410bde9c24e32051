package dev.nvae.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTextTest {
    @Test
    void valuesBecomePlainJavaValuesInDocumentOrder() throws JsonProcessingException {
        Object v = JsonText.parse("{\"z\": [1, -2, 3.5, \"s\", true, false, null, {}], \"a\": 9223372036854775808, \"m\": 1e3}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", Arrays.asList(1L, -2L, 3.5, "s", true, false, null, Map.of()));
        expected.put("a", new BigInteger("9223372036854775808"));
        expected.put("m", 1000.0);
        assertEquals(expected, v);
        assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) v).keySet()));
        assertEquals("x", JsonText.parse("\"x\""));
    }

    @Test
    void malformedTextIsRejectedWithJacksonsReason() {
        Map<String, String> cases = Map.of(
                "{\"a\": 1, \"a\": 2}", "Duplicate field 'a'",
                "{} {}", "Trailing token",
                "{\"a\": ", "end-of-input",
                "[1, 2", "end-of-input",
                "", "No content",
                "{\"a\" 1}", "Unexpected character");
        cases.forEach((text, reason) -> {
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonText.parse(text), text);
            assertTrue(e.getOriginalMessage().contains(reason), text + " -> " + e.getOriginalMessage());
        });
    }

    /** What a user reads when a JSON text is refused: Jackson's first line, without its internal hints. */
    @org.junit.jupiter.api.Test
    void reasonsAreOneLineWithoutJacksonsInternals() {
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"model\":nvae}", "Unrecognized token 'nvae'");
        cases.put("{\"a\":}", "Unexpected character ('}'): expected a value");
        cases.put("{\"a\":1", "Unexpected end-of-input: expected close marker for Object");
        cases.put("{\"a\":1} 2", "Trailing token found after value");
        cases.put("{\"a\":NaN}", "Non-standard token 'NaN'");
        cases.put("{\"a\":+1}", "Unexpected character ('+') in numeric value: JSON spec does not allow numbers to have plus signs");
        cases.put("{/*c*/\"a\":1}", "Unexpected character ('/'): maybe a (non-standard) comment?");
        cases.put("{\"a\":\"x\ny\"}", "Illegal unquoted character (control character 10): has to be escaped using backslash to be included in string value");
        cases.put("\ufeff{\"a\":1}", "Unexpected character ('\ufeff' (U+feff)): expected a value");
        cases.put("[".repeat(1001) + "]".repeat(1001), "Document nesting depth (1001) exceeds the maximum allowed (1000)");
        cases.put("[1." + "0".repeat(1001) + "]", "Number value length (1002) exceeds the maximum allowed (1000)");
        for (var c : cases.entrySet()) {
            com.fasterxml.jackson.core.JsonProcessingException e = org.junit.jupiter.api.Assertions.assertThrows(
                    com.fasterxml.jackson.core.JsonProcessingException.class, () -> JsonText.parse(c.getKey()));
            org.junit.jupiter.api.Assertions.assertEquals(c.getValue(), JsonText.reason(e), c.getKey() + " gave " + e.getOriginalMessage());
        }
    }
}
