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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        if (!java.nio.file.Files.exists(data)) {
            // The first 120 test images in the layout --data reads.
            java.nio.file.Files.createDirectories(data);
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
                .add("png", DataTypes.BinaryType);
        List<Row> input = new ArrayList<>();
        for (int i = test.count() - 1; i >= 0; i--) {
            float[] x = test.image(i);
            byte[] raw = new byte[x.length];
            Float[] boxed = new Float[x.length];
            for (int j = 0; j < x.length; j++) {
                raw[j] = (byte) Math.round(x[j] * 255f);
                boxed[j] = x[j];
            }
            input.add(RowFactory.create((long) i, (short) test.label(i), raw, boxed, ImageGrid.png(x, 28, 28)));
        }
        Path parquet = LocalSpark.dir().resolve("input-120");
        LocalSpark.session().createDataFrame(input, schema).repartition(3).write().parquet(parquet.toString());
        for (String column : List.of("raw", "floats", "png")) {
            Path out = LocalSpark.dir().resolve("encode-" + column);
            r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", parquet, "--image-col", column, "--label-col", "y",
                    "--index-col", "id", "--iw", 3, "--out", out);
            assertEquals(0, r.code(), r.err());
            List<Row> got = GenerateTest.rows(out);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), column + ", example " + i);
        }
    }
}
