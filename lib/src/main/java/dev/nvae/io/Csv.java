package dev.nvae.io;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Comma-separated values (RFC 4180): a header line, then one line of floats per row. */
public final class Csv {
    private Csv() {
    }

    /** Each row must have one value per header column. Floats are written in Java's shortest round-trip form. */
    public static void write(Path file, List<String> header, float[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != header.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values for " + header.size() + " columns");
            }
        }
        AtomicOutput.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(header.stream().map(Csv::quote).collect(Collectors.joining(",")));
            w.write('\n');
            for (float[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    if (j > 0) w.write(',');
                    w.write(Float.toString(row[j]));
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
