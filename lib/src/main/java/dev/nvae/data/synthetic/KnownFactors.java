package dev.nvae.data.synthetic;

import dev.nvae.NvaeException;
import dev.nvae.data.Split;
import dev.nvae.io.AtomicOutput;
import dev.nvae.io.FormatException;
import dev.nvae.io.IoErrors;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The true factor values of a data set, one row per example in data order: {@code values[i][f]} is factor
 * f of example i, NaN where the example's class does not have that factor. On disk, next to the IDX files
 * of a data directory: {@code factors.txt} (one "name scope" line per column) and {@code train-factors.npy} /
 * {@code t10k-factors.npy} (float32, examples × factors).
 */
public record KnownFactors(List<Factor> factors, float[][] values) {
    public static final String NAMES_FILE = "factors.txt";
    /** The dtype a factor values array has. */
    private static final Npy.Dtypes VALUE_DTYPES = new Npy.Dtypes("factor values", "float32 (<f4)", NpyArray.F32);

    public KnownFactors {
        factors = List.copyOf(factors);
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != factors.size()) {
                throw new IllegalArgumentException("example " + i + " has " + values[i].length + " factor values for " + factors.size() + " factors");
            }
        }
    }

    public static Path valuesFile(Path dir, Split split) {
        return dir.resolve((split == Split.TRAIN ? "train" : "t10k") + "-factors.npy");
    }

    /** The column of the factor called {@code name}. */
    public int indexOf(String name) {
        for (int f = 0; f < factors.size(); f++) if (factors.get(f).name().equals(name)) return f;
        throw new IllegalArgumentException("no factor " + name);
    }

    /** factors.txt: one "name scope" line per column (the same for both splits). */
    public void writeNames(Path file) {
        StringBuilder text = new StringBuilder();
        for (Factor f : factors) text.append(f.name()).append(' ').append(f.scope()).append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicOutput.write(file, out -> out.write(bytes));
    }

    /** The values as a float32 NPY matrix, examples × factors. */
    public void writeValues(Path valuesFile) {
        float[] flat = new float[values.length * factors.size()];
        for (int i = 0; i < values.length; i++) System.arraycopy(values[i], 0, flat, i * factors.size(), factors.size());
        Npy.writeF32(valuesFile, flat, values.length, factors.size());
    }

    /** Reads a data directory's factors for one split; {@code flag} names the option in error messages. */
    public static KnownFactors read(Path dir, Split split, String flag) {
        Path names = dir.resolve(NAMES_FILE);
        Path valuesPath = valuesFile(dir, split);
        if (!Files.isRegularFile(names) || !Files.isRegularFile(valuesPath)) {
            throw new NvaeException(flag + " " + dir + ": no known factors (" + NAMES_FILE + " and " + valuesPath.getFileName()
                    + "); generate a data set with them by 'nvae synth'");
        }
        List<Factor> factors = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        try {
            int line = 0;
            for (String text : Files.readAllLines(names, StandardCharsets.UTF_8)) {
                line++;
                if (text.isBlank()) continue;
                String[] parts = text.strip().split("\\s+");
                if (parts.length != 2) throw new FormatException(names, "line " + line + ": expected 'name scope', got '" + text.strip() + "'");
                // Two columns of one name would be scored and printed as one factor twice, the reader unable to tell them apart.
                Integer first = lineOf.putIfAbsent(parts[0], line);
                if (first != null) {
                    throw new FormatException(names, "line " + line + " repeats the factor name '" + parts[0] + "' of line " + first
                            + "; every factor needs its own name");
                }
                factors.add(new Factor(parts[0], parts[1]));
            }
        } catch (IOException e) {
            throw new NvaeException(names + ": cannot read: " + IoErrors.reason(e), e);
        }
        if (factors.isEmpty()) throw new FormatException(names, "lists no factors");
        NpyArray array = Npy.read(valuesPath, VALUE_DTYPES);
        long[] shape = array.shape();
        if (shape.length != 2 || shape[1] != factors.size() || !NpyArray.F32.equals(array.dtype())) {
            // Say what it holds: a column count that differs from factors.txt's lines is the usual cause.
            String held = array.dtype() + " array of shape " + Arrays.toString(shape);
            throw new FormatException(valuesPath, "holds a " + held + "; expected a float32 array of N x " + factors.size()
                    + " factor values, one column per factor " + NAMES_FILE + " lists");
        }
        float[] flat = array.floats();
        int n = (int) shape[0], f = factors.size();
        float[][] values = new float[n][f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * f, values[i], 0, f);
            // NaN marks a class without the factor; an infinite value is no value at all, and it made every score of its group
            // garbage (MIG's bins and DCI's scaling span the whole line) with exit 0.
            for (int k = 0; k < f; k++) {
                if (Float.isInfinite(values[i][k])) {
                    throw new FormatException(valuesPath, "row " + i + " gives factor " + factors.get(k).name() + " the value " + values[i][k]
                            + "; factor values are finite numbers (NaN where the example's class lacks the factor)");
                }
            }
        }
        return new KnownFactors(factors, values);
    }
}
