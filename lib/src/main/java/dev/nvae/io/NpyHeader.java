package dev.nvae.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of an NPY file, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
 * NumPy writes it as a Python literal; this parses exactly the subset NumPy emits (strings, True/False,
 * tuples of integers) rather than evaluating anything.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    /**
     * The descr of a structured dtype, a list of fields, which is not read: it holds both quote characters,
     * which no descr string parsed from a header can (a string ends at the first of its own quote).
     */
    static final String STRUCTURED = "['\"]";

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

    /**
     * Header text as a message shows it, on one line: a control character or a line or paragraph separator
     * (a file's header may hold any) is written as its escape, e.g. {@code \n} as {@code \u000a}.
     */
    static String shown(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", c));
            else out.appendCodePoint(c);
        });
        return out.toString();
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
            Map<String, Object> dict = new LinkedHashMap<>();  // its keys in the file's order, as a message lists them
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                Object value = key.equals("descr") && peek() == '[' ? structured() : value();
                if (dict.put(key, value) != null) throw bad("duplicate key '" + shown(key) + "'");
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
                        + shown(dict.keySet().toString()));
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
            throw bad("unexpected character '" + shown(String.valueOf(c)) + "' at offset " + pos);
        }

        /** Skips a structured dtype's list of fields (nested lists and tuples of strings and numbers) and stands for it. */
        private String structured() {
            int depth = 0;
            do {
                char c = peek();
                if (c == '\'' || c == '"') {
                    quoted();
                    continue;
                }
                if (c == '[' || c == '(') depth++;
                else if (c == ']' || c == ')') depth--;
                pos++;
            } while (depth > 0);
            return STRUCTURED;
        }

        /** Skips a Python string literal, backslash escapes included. */
        private void quoted() {
            char quote = s.charAt(pos++);
            while (pos < s.length() && s.charAt(pos) != quote) pos += s.charAt(pos) == '\\' ? 2 : 1;
            if (pos >= s.length()) throw bad("ends in the middle of the dictionary");
            pos++;
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
            if (peek() != c) throw bad("expected '" + c + "' at offset " + pos + ", found '" + shown(String.valueOf(s.charAt(pos))) + "'");
            pos++;
        }

        private FormatException bad(String reason) {
            return new FormatException(file, "NPY header " + reason);
        }
    }
}
