package dev.nvae.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of an NPY file, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
 * NumPy writes it as a Python literal; this parses exactly the subset NumPy emits (strings, True/False,
 * tuples of integers) rather than evaluating anything.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    static String format(String descr, long... shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        // Python writes a 1-tuple as "(n,)" and a longer one without the trailing comma.
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.toString().replaceAll(", $", "") + ")";
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
    }

    static NpyHeader parse(Path file, String text) {
        return new Parser(file, text).header();
    }

    /**
     * A one-byte type has no byte order: numpy writes '|u1', other writers (cnpy) '<u1', and numpy reads
     * '<', '>', '=' and '|' alike there; so this reader does too, and names the type as numpy does.
     */
    private static String oneByteOrderless(String descr) {
        boolean ordered = descr.length() == 3 && "<>=".indexOf(descr.charAt(0)) >= 0 && descr.charAt(2) == '1';
        return ordered ? "|" + descr.substring(1) : descr;
    }

    private static final class Parser {
        private final Path file;
        private final String s;
        private int pos;

        Parser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        NpyHeader header() {
            Map<String, Object> dict = new HashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) throw bad("duplicate key '" + key + "'");
                if (peek() != ',') break;
                expect(',');
            }
            expect('}');
            skipWhitespace();
            if (pos != s.length()) throw bad("unexpected text after the dictionary at offset " + pos);
            if (dict.size() != 3 || !(dict.get("descr") instanceof String descr)
                    || !(dict.get("fortran_order") instanceof Boolean fortran)
                    || !(dict.get("shape") instanceof long[] shape)) {
                throw bad("must have exactly the keys 'descr' (string), 'fortran_order' (bool), 'shape' (tuple), found "
                        + dict.keySet());
            }
            return new NpyHeader(oneByteOrderless(descr), fortran, shape);
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw bad("unexpected character '" + c + "' at offset " + pos);
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') throw bad("expected a quoted key at offset " + pos);
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) throw bad("unterminated string at offset " + pos);
            String out = s.substring(pos + 1, end);
            pos = end + 1;
            return out;
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (peek() != ')') {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (start == pos) throw bad("shape has something other than a non-negative integer at offset " + start);
                try {
                    dims.add(Long.parseLong(s.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw bad("shape dimension " + s.substring(start, pos) + " is too large");
                }
                if (peek() != ',') break;
                expect(',');
            }
            expect(')');
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private char peek() {
            skipWhitespace();
            if (pos == s.length()) throw bad("ends in the middle of the dictionary");
            return s.charAt(pos);
        }

        private void skipWhitespace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        private void expect(char c) {
            if (peek() != c) throw bad("expected '" + c + "' at offset " + pos + ", found '" + s.charAt(pos) + "'");
            pos++;
        }

        private FormatException bad(String reason) {
            return new FormatException(file, "NPY header " + reason);
        }
    }
}
