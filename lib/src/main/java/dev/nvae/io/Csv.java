package dev.nvae.io;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Comma-separated values (RFC 4180): a header line, then one line of numbers per row. */
public final class Csv {
    private Csv() {
    }

    /** Each row must have one value per header column. Floats are written in Java's shortest round-trip form. */
    public static void write(Path file, List<String> header, float[][] rows) {
        write(file, header, rows, 0);
    }

    /**
     * As {@link #write(Path, List, float[][])}, with the first {@code integerColumns} columns holding whole
     * numbers (labels, class indices; −1 for none) written as integers: {@code 7}, not {@code 7.0}.
     */
    public static void write(Path file, List<String> header, float[][] rows, int integerColumns) {
        if (integerColumns < 0 || integerColumns > header.size()) {
            throw new IllegalArgumentException(integerColumns + " integer columns of " + header.size());
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != header.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values for " + header.size() + " columns");
            }
            for (int j = 0; j < integerColumns; j++) {
                float v = rows[i][j];
                if (v != Math.rint(v) || Math.abs(v) > 1 << 24) {
                    throw new IllegalArgumentException("row " + i + ", column " + header.get(j) + ": " + v + " is not a whole number");
                }
            }
        }
        AtomicOutput.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(header.stream().map(Csv::quote).collect(Collectors.joining(",")));
            w.write('\n');
            for (float[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    if (j > 0) w.write(',');
                    w.write(j < integerColumns ? Integer.toString((int) row[j]) : Float.toString(row[j]));
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    /** Quotes a field that holds a comma, quote or line break, doubling inner quotes. */
    static String quote(String field) {
        if (field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
