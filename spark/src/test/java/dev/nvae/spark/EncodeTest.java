package dev.nvae.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.ImageGrid;
import dev.nvae.io.Npy;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code encode} against {@code nvae encode} and {@code nvae evaluate} on the Fashion-MNIST test subset. */
class EncodeTest {
    /** label, predicted, mu_s0..7, logvar_s0..7, mu_c0..3, logvar_c0..3 of the reference model. */
    private static final int COLUMNS = 2 + 2 * 8 + 2 * 4;

    /** Every encode-row value of a Spark row, in `nvae encode`'s column order. */
    private static float[] encodeRow(Row r) {
        float[] out = new float[COLUMNS];
        out[0] = r.getInt(1);
        out[1] = r.getInt(2);
        int o = 2;
        for (String block : List.of("mu_s", "logvar_s", "mu_c", "logvar_c")) {
            for (Object v : r.getList(r.fieldIndex(block))) out[o++] = (Float) v;
        }
        assertEquals(COLUMNS, o);
        return out;
    }

    private static void assertBitwiseEqual(float[] want, float[] got, String what) {
        for (int j = 0; j < want.length; j++) {
            assertEquals(Float.floatToRawIntBits(want[j]), Float.floatToRawIntBits(got[j]), what + ", value " + j + ": " + want[j] + " vs " + got[j]);
        }
    }

    @Test
    void theTestSubsetEncodesAsNvaeEncodeAndScoresAsNvaeEvaluate() throws IOException {
        Path npy = LocalSpark.dir().resolve("encode.npy");
        LocalSpark.Result e = LocalSpark.cli("encode", "--model", LocalSpark.model(), "--data", "testdata", "--split", "test",
                "--backend", "vector", "--out", npy);
        assertEquals(0, e.code(), e.err());
        float[] want = Npy.read(npy).floats();
        LocalSpark.Result v = LocalSpark.cli("evaluate", "--model", LocalSpark.model(), "--data", "testdata", "--split", "test",
                "--backend", "vector", "--iw", 5, "--seed", 11, "--json");
        assertEquals(0, v.code(), v.err());
        JsonNode report = new ObjectMapper().readTree(v.out());

        Path out = LocalSpark.dir().resolve("encode-testdata");
        LocalSpark.Result r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--data", "testdata", "--split", "test",
                "--iw", 5, "--seed", 11, "--partitions", 3, "--out", out);
        assertEquals(0, r.code(), r.err());
        List<Row> rows = GenerateTest.rows(out);
        assertEquals(want.length / COLUMNS, rows.size());
        assertEquals(3, GenerateTest.partFiles(out));
        double elbo = 0, iwae = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getLong(0));
            float[] reference = new float[COLUMNS];
            System.arraycopy(want, i * COLUMNS, reference, 0, COLUMNS);
            assertBitwiseEqual(reference, encodeRow(row), "example " + i);
            double p = row.getDouble(row.fieldIndex("probability"));
            assertTrue(p > 0.1 && p <= 1, "probability " + p);
            elbo += row.getDouble(row.fieldIndex("neg_elbo"));
            iwae += row.getDouble(row.fieldIndex("iwae_nll"));
        }
        double n = rows.size();
        assertEquals(report.get("neg_elbo").asDouble(), elbo / n, 1e-9 * Math.abs(elbo / n), "mean neg_elbo");
        assertEquals(report.get("iwae_nll").asDouble(), iwae / n, 1e-9 * Math.abs(iwae / n), "mean iwae_nll");
    }

    /**
     * The same images as a Parquet of uint8 bytes, of float arrays and of PNGs, rows shuffled and named by an
     * index column: each row scores exactly as under that index from --data.
     */
    @Test
    void parquetImagesOfEveryKindScoreAsTheSameRowsFromTheDataDirectory() throws IOException {
        Dataset test = DataSources.load("testdata", Split.TEST).first(120);
        Path reference = LocalSpark.dir().resolve("encode-120");
        Path data = LocalSpark.dir().resolve("first-120");
        if (!Files.exists(data)) {
            // The first 120 test images in the layout --data reads.
            Files.createDirectories(data);
            float[] images = new float[test.count() * test.dim()];
            int[] labels = new int[test.count()];
            for (int i = 0; i < test.count(); i++) {
                System.arraycopy(test.image(i), 0, images, i * test.dim(), test.dim());
                labels[i] = test.label(i);
            }
            IdxWriter.writeImages(data.resolve("t10k-images-idx3-ubyte"), images, test.count(), 28, 28);
            IdxWriter.writeLabels(data.resolve("t10k-labels-idx1-ubyte"), labels);
        }
        LocalSpark.Result r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--data", data, "--split", "test", "--iw", 3,
                "--out", reference);
        assertEquals(0, r.code(), r.err());
        List<Row> want = GenerateTest.rows(reference);

        StructType schema = new StructType().add("id", DataTypes.LongType).add("y", DataTypes.ShortType)
                .add("raw", DataTypes.BinaryType).add("floats", DataTypes.createArrayType(DataTypes.FloatType))
                .add("png", DataTypes.BinaryType).add("nudged", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> input = new ArrayList<>();
        for (int i = test.count() - 1; i >= 0; i--) {
            float[] x = test.image(i);
            byte[] raw = new byte[x.length];
            Float[] boxed = new Float[x.length], nudged = new Float[x.length];
            for (int j = 0; j < x.length; j++) {
                raw[j] = (byte) Math.round(x[j] * 255f);
                boxed[j] = x[j];
                nudged[j] = Math.min(1f, x[j] + 0.0015f); // off the 1/255 grid, within half a step of its byte
            }
            input.add(RowFactory.create((long) i, (short) test.label(i), raw, boxed, ImageGrid.png(x, 28, 28), nudged));
        }
        Path parquet = LocalSpark.dir().resolve("input-120");
        LocalSpark.session().createDataFrame(input, schema).repartition(3).write().parquet(parquet.toString());
        // Float values are stored to 8 bits as nvae encode stores a float32 NPY's: off-grid ones score as their byte
        // (read exactly, they gave other rows than nvae encode's).
        for (String column : List.of("raw", "floats", "png", "nudged")) {
            Path out = LocalSpark.dir().resolve("encode-" + column);
            r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", column, "--label-col", "y",
                    "--index-col", "id", "--iw", 3, "--out", out);
            assertEquals(0, r.code(), r.err());
            List<Row> got = GenerateTest.rows(out);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), column + ", example " + i);
        }
    }

    /**
     * A null in --label-col is a row without a class: the bound summed over the classes, as with no --label-col
     * (README); it was refused ("row 1 has no class (null)"). With --iw such a row is refused: iwae_nll needs the class.
     */
    @Test
    void aNullLabelIsARowWithoutAClass() throws IOException {
        Dataset test = DataSources.load("testdata", Split.TEST).first(40);
        StructType schema = new StructType().add("y", DataTypes.IntegerType, true).add("raw", DataTypes.BinaryType);
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            float[] x = test.image(i);
            byte[] raw = new byte[x.length];
            for (int j = 0; j < x.length; j++) raw[j] = (byte) Math.round(x[j] * 255f);
            input.add(RowFactory.create(i % 2 == 1 ? null : test.label(i), raw));
        }
        Path parquet = LocalSpark.dir().resolve("input-null-labels");
        LocalSpark.session().createDataFrame(input, schema).coalesce(1).write().parquet(parquet.toString());
        Path unlabelled = LocalSpark.dir().resolve("encode-no-label-col"), mixed = LocalSpark.dir().resolve("encode-null-labels");
        LocalSpark.Result none = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", "raw",
                "--out", unlabelled);
        assertEquals(0, none.code(), none.err());
        LocalSpark.Result r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", "raw",
                "--label-col", "y", "--out", mixed);
        assertEquals(0, r.code(), r.err());
        List<Row> all = GenerateTest.rows(unlabelled), got = GenerateTest.rows(mixed);
        assertEquals(40, got.size());
        for (int i = 1; i < got.size(); i += 2) {
            assertTrue(got.get(i).isNullAt(1), "row " + i + " has no label");
            assertEquals(all.get(i).getDouble(all.get(i).fieldIndex("neg_elbo")), got.get(i).getDouble(got.get(i).fieldIndex("neg_elbo")),
                    "row " + i + ": the bound summed over the classes");
        }
        assertEquals(test.label(0), got.get(0).getInt(1));
        // --no-neg-elbo keeps the column, null, so that the files of both runs have one schema; the encodings are the same.
        Path bare = LocalSpark.dir().resolve("encode-no-neg-elbo");
        LocalSpark.Result encodingsOnly = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", "raw",
                "--label-col", "y", "--no-neg-elbo", "--out", bare);
        assertEquals(0, encodingsOnly.code(), encodingsOnly.err());
        List<Row> without = GenerateTest.rows(bare);
        assertEquals(got.size(), without.size());
        assertEquals(got.getFirst().schema(), without.getFirst().schema());
        for (int i = 0; i < without.size(); i++) {
            assertTrue(without.get(i).isNullAt(without.get(i).fieldIndex("neg_elbo")), "row " + i);
            assertEquals(got.get(i).getList(got.get(i).fieldIndex("mu_s")), without.get(i).getList(without.get(i).fieldIndex("mu_s")), "row " + i);
        }
        LocalSpark.Result iw = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", "raw",
                "--label-col", "y", "--iw", 2, "--out", LocalSpark.dir().resolve("encode-null-iw"));
        assertEquals(1, iw.code());
        assertTrue(iw.err().contains("--label-col y: row 1 has no class (null); --iw's iwae_nll needs the true class"), iw.err());
    }

    /** A VAE reads no class: --iw needs none on Parquet rows without a label column (a check for the class refused them). */
    @Test
    void aVaeTakesIwWithoutAnyLabel() throws IOException {
        Path vae = LocalSpark.dir().resolve("vae.safetensors");
        LocalSpark.Result t = LocalSpark.cli("train", "--data", "testdata", "--model", "vae", "--dz", 4, "--limit", 200, "--epochs", 1,
                "--hidden", "32,16", "--backend", "vector", "--no-progress", "--out", vae);
        assertEquals(0, t.code(), t.err());
        Dataset test = DataSources.load("testdata", Split.TEST).first(20);
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            float[] x = test.image(i);
            byte[] raw = new byte[x.length];
            for (int j = 0; j < x.length; j++) raw[j] = (byte) Math.round(x[j] * 255f);
            input.add(RowFactory.create((Object) raw));
        }
        Path parquet = LocalSpark.dir().resolve("input-vae");
        LocalSpark.session().createDataFrame(input, new StructType().add("raw", DataTypes.BinaryType)).coalesce(1).write().parquet(parquet.toString());
        Path out = LocalSpark.dir().resolve("encode-vae-iw");
        LocalSpark.Result r = LocalSpark.job("encode", "--model", vae, "--input", parquet, "--image-col", "raw", "--iw", 2, "--out", out);
        assertEquals(0, r.code(), r.err());
        List<Row> rows = GenerateTest.rows(out);
        assertEquals(20, rows.size());
        for (Row row : rows) assertTrue(Double.isFinite(row.getDouble(row.fieldIndex("iwae_nll"))), "iwae_nll of row " + row.getLong(0));
    }

    /**
     * A label-free model of 3 clusters encodes a split of 10 classes from --data, as nvae encode does (it was
     * refused: "10 classes but the model has 3"); --label-col means nothing to it and is refused.
     */
    @Test
    void aLabelFreeModelEncodesDataOfAnyNumberOfClasses() throws IOException {
        Path free = LocalSpark.dir().resolve("free3.safetensors");
        LocalSpark.Result t = LocalSpark.cli("train", "--data", "testdata", "--labels", "none", "--clusters", 3, "--limit", 300,
                "--epochs", 1, "--hidden", "32,16", "--backend", "vector", "--no-progress", "--out", free);
        assertEquals(0, t.code(), t.err());
        Path npy = LocalSpark.dir().resolve("free3-encode.npy");
        assertEquals(0, LocalSpark.cli("encode", "--model", free, "--data", "testdata", "--split", "test", "--backend", "vector",
                "--out", npy).code());
        LocalSpark.Result v = LocalSpark.cli("evaluate", "--model", free, "--data", "testdata", "--split", "test", "--backend", "vector",
                "--json");
        assertEquals(0, v.code(), v.err());
        Path out = LocalSpark.dir().resolve("free3-encode");
        LocalSpark.Result r = LocalSpark.job("encode", "--model", free, "--data", "testdata", "--split", "test", "--out", out);
        assertEquals(0, r.code(), r.err());
        List<Row> rows = GenerateTest.rows(out);
        assertEquals(Npy.read(npy).shape()[0], rows.size());
        double elbo = 0;
        for (Row row : rows) {
            assertTrue(row.isNullAt(1), "a cluster model's rows carry no class of the data");
            elbo += row.getDouble(row.fieldIndex("neg_elbo"));
        }
        double mean = new ObjectMapper().readTree(v.out()).get("neg_elbo").asDouble();
        assertEquals(mean, elbo / rows.size(), 1e-9 * Math.abs(mean), "mean neg_elbo as nvae evaluate's");
        LocalSpark.Result labelled = LocalSpark.job("encode", "--model", free, "--input", out, "--image-col", "mu_s", "--label-col", "label",
                "--out", LocalSpark.dir().resolve("free3-labelled"));
        assertEquals(1, labelled.code());
        assertTrue(labelled.err().contains("--label-col label: a label-free model's classes are its clusters"), labelled.err());
    }

    /**
     * A vae trained on images without any label has no classes: it encodes a split of 10 classes from --data, rows
     * keeping the data's labels, as nvae encode does (it was refused: "10 classes but the model has 0").
     */
    @Test
    void aVaeOfNoClassesEncodesLabelledData() throws IOException {
        Dataset train = DataSources.load("testdata", Split.TRAIN).first(200);
        Path images = Files.createDirectories(LocalSpark.dir().resolve("no-labels"));
        float[] pixels = new float[train.count() * train.dim()];
        for (int i = 0; i < train.count(); i++) System.arraycopy(train.image(i), 0, pixels, i * train.dim(), train.dim());
        IdxWriter.writeImages(images.resolve("train-images-idx3-ubyte"), pixels, train.count(), train.height(), train.width());
        int[] none = new int[train.count()];
        Arrays.fill(none, 255); // IDX's "no label"
        IdxWriter.writeLabels(images.resolve("train-labels-idx1-ubyte"), none);
        Path vae = LocalSpark.dir().resolve("classless.safetensors");
        LocalSpark.Result t = LocalSpark.cli("train", "--data", images, "--model", "vae", "--dz", 4, "--epochs", 1,
                "--hidden", "32,16", "--backend", "vector", "--no-progress", "--out", vae);
        assertEquals(0, t.code(), t.err());
        Path out = LocalSpark.dir().resolve("classless-encode");
        LocalSpark.Result r = LocalSpark.job("encode", "--model", vae, "--data", "testdata", "--split", "test", "--out", out);
        assertEquals(0, r.code(), r.err());
        List<Row> rows = GenerateTest.rows(out);
        Dataset test = DataSources.load("testdata", Split.TEST);
        assertEquals(test.count(), rows.size());
        for (Row row : rows) assertEquals(test.label((int) row.getLong(0)), row.getInt(1), "the data's label of row " + row.getLong(0));
        // A negative class in --label-col is refused, as for any model, without "the model has classes 0..-1".
        StructType schema = new StructType().add("y", DataTypes.IntegerType, true).add("raw", DataTypes.BinaryType);
        byte[] raw = new byte[test.dim()];
        Path parquet = LocalSpark.dir().resolve("classless-negative-label");
        LocalSpark.session().createDataFrame(List.of(RowFactory.create(-1, raw)), schema).coalesce(1).write().parquet(parquet.toString());
        LocalSpark.Result negative = LocalSpark.job("encode", "--model", vae, "--input", parquet, "--image-col", "raw", "--label-col", "y",
                "--out", LocalSpark.dir().resolve("classless-negative-encode"));
        assertEquals(1, negative.code());
        assertTrue(negative.err().contains("--label-col y: row 0 holds class -1; a class is 0 or more (null for none)"), negative.err());
        assertFalse(negative.err().contains("0..-1"), negative.err());
    }
}
