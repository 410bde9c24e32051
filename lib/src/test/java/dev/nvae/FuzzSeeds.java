package dev.nvae;

import dev.nvae.io.FuzzFiles;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.NamedArray;
import dev.nvae.io.Npy;
import dev.nvae.io.SafeTensors;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.optim.Adam;
import dev.nvae.train.Checkpoint;
import dev.nvae.train.CheckpointSchedule;
import dev.nvae.train.DataRef;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.TrainingPosition;
import dev.nvae.train.TrainingSnapshot;

import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the seed corpus of the fuzz tests: small valid files of every kind each parser reads, and
 * one file per rejection the unit tests check, so that fuzzing starts deep in every parser and the
 * regression run covers each error path. Run from the repository root:
 * <pre>java -cp lib/target/test-classes:lib/target/classes:... dev.nvae.FuzzSeeds lib/src/test/resources</pre>
 * Existing files are overwritten; inputs found by fuzzing (crash-*, and others added by hand) are left alone.
 */
public final class FuzzSeeds {
    private final Path resources;
    private int written;

    private FuzzSeeds(Path resources) {
        this.resources = resources;
    }

    public static void main(String[] args) throws IOException {
        FuzzSeeds s = new FuzzSeeds(Path.of(args.length > 0 ? args[0] : "lib/src/test/resources"));
        s.safetensors();
        s.checkpoints();
        s.npy();
        s.idx();
        s.images();
        System.out.println("wrote " + s.written + " seed inputs under " + s.resources);
    }

    private void seed(String testClass, String method, String name, byte[] bytes) throws IOException {
        Path dir = resources.resolve(testClass.replace('.', '/') + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
        written++;
    }

    private static byte[] temp(IoAction action) throws IOException {
        Path f = FuzzFiles.file("seed-" + System.nanoTime());
        action.run(f);
        byte[] b = Files.readAllBytes(f);
        Files.delete(f);
        return b;
    }

    private interface IoAction {
        void run(Path file) throws IOException;
    }

    // ---- safetensors ----

    private static byte[] safetensors(String json, int dataBytes) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(text);
        for (int i = text.length; i < padded; i++) b.put((byte) ' ');
        return b.array();
    }

    private void safetensors() throws IOException {
        String c = "dev.nvae.io.SafeTensorsFuzzTest";
        NamedArray w = new NamedArray("enc.w", new long[] {2, 3}, MemorySegment.ofArray(new float[] {1, -2, 3.5f, 0, Float.NaN, 7}));
        NamedArray b = new NamedArray("enc.b", new long[] {3}, MemorySegment.ofArray(new float[] {0.5f, 1, 2}));
        NamedArray s = new NamedArray("step", new long[] {}, MemorySegment.ofArray(new float[] {42}));
        seed(c, "safetensors", "valid-with-metadata", temp(f -> SafeTensors.writeArrays(f, List.of(w, b, s),
                new java.util.TreeMap<>(Map.of("format", "x", "k", "v")))));  // in key order: Map.of's varies from run to run
        seed(c, "safetensors", "valid-empty", safetensors("{}", 0));
        seed(c, "safetensors", "valid-i32-and-bool", safetensors("{\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[8,11]}}", 11));
        String one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        seed(c, "safetensors", "bad-short", new byte[5]);
        seed(c, "safetensors", "bad-header-length-huge", ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        seed(c, "safetensors", "bad-header-length-beyond", ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(100).put((byte) '{').put((byte) '}').array());
        seed(c, "safetensors", "bad-utf8", safetensors("{\"\u00c3(\":1}", 0));
        byte[] notUtf8 = safetensors("{\"ab\":1}", 0);
        notUtf8[10] = (byte) 0xC3;
        notUtf8[11] = (byte) 0x28;
        seed(c, "safetensors", "bad-utf8-bytes", notUtf8);
        seed(c, "safetensors", "bad-json", safetensors("{\"a\": ", 0));
        seed(c, "safetensors", "bad-not-object", safetensors("[1, 2]", 0));
        seed(c, "safetensors", "bad-leading-space", safetensors(" {}", 0));
        seed(c, "safetensors", "bad-duplicate", safetensors(one.substring(0, one.length() - 1) + ",\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        seed(c, "safetensors", "bad-dtype", safetensors(one.replace("F32", "F31"), 4));
        seed(c, "safetensors", "bad-shape", safetensors(one.replace("[1]", "[-1]"), 4));
        seed(c, "safetensors", "bad-offsets", safetensors(one.replace("[0,4]", "[8,4]"), 8));
        seed(c, "safetensors", "bad-overflow", safetensors(one.replace("[1]", "[4611686018427387904,2]"), 4));
        seed(c, "safetensors", "bad-size-mismatch", safetensors(one.replace("[1]", "[2]"), 4));
        seed(c, "safetensors", "bad-overlap", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24));
        seed(c, "safetensors", "bad-gap", safetensors(one.replace("[0,4]", "[4,8]"), 8));
        seed(c, "safetensors", "bad-truncated", safetensors(one, 2));
        seed(c, "safetensors", "bad-trailing", safetensors(one, 5));
        seed(c, "safetensors", "bad-metadata", safetensors("{\"__metadata__\": {\"epoch\": 3}}", 0));
        seed(c, "safetensors", "bad-deep-nesting", safetensors("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}", 0));
    }

    private void checkpoints() throws IOException {
        String c = "dev.nvae.io.SafeTensorsFuzzTest";
        ModelConfig tiny = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 2, 2, 3, 2, 1, 1, 1, 1);
        byte[] valid;
        try (LatentModel m = LatentModel.create(tiny); Adam adam = new Adam(m.params(), m.grads(), 1e-3)) {
            m.initialize(1);
            adam.setStepCount(3);
            TrainingSnapshot s = new TrainingSnapshot(tiny, List.of("a", "b"), new TrainOptions(2, 4, 1e-3, 1),
                    new DataRef("fuzz", null, null, 8, 12345), new TrainingPosition(0, 1, 2, 3, 0), new BatchLoss(), List.of(),
                    new CheckpointSchedule(2, 3), dev.nvae.backend.Precision.FP32, m.params(), adam);
            valid = temp(f -> Checkpoint.write(f, s));
        }
        seed(c, "checkpoint", "valid-tiny", valid);
        byte[] damaged = valid.clone();
        damaged[damaged.length - 3] ^= 1;
        seed(c, "checkpoint", "bad-crc", damaged);
        seed(c, "checkpoint", "bad-format", new String(valid, StandardCharsets.ISO_8859_1).replace("nvae-checkpoint/1", "nvae-checkpoint/9")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- npy ----

    private static byte[] npy(int version, String dict, byte[] data) {
        int pre = version == 1 ? 10 : 12;
        int total = (pre + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - pre - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) out.writeBytes(new byte[] {(byte) header.length(), (byte) (header.length() >>> 8)});
        else out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length()).array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private void npy() throws IOException {
        String c = "dev.nvae.io.NpyFuzzTest";
        byte[] f32 = temp(f -> Npy.writeF32(f, new float[] {0, 0.5f, 1, 0.25f, 0.75f, 0.1f}, 2, 3));
        byte[] i64 = temp(f -> Npy.writeI64(f, new int[] {1, 0}));
        byte[] u8 = npy(1, dict("|u1", "(2, 2, 2)"), new byte[] {0, 1, 2, 3, 4, 5, 6, (byte) 255});
        byte[] i32 = npy(1, dict("<i4", "(2,)"), new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
        seed(c, "npy", "valid-f32", f32);
        seed(c, "npy", "valid-i64", i64);
        seed(c, "npy", "valid-u8", u8);
        seed(c, "npy", "valid-i32", i32);
        seed(c, "npy", "valid-v2", npy(2, "{\"descr\": \"<f4\", \"shape\": (1,), \"fortran_order\": False}", new byte[4]));
        seed(c, "npy", "valid-scalar", npy(1, dict("<f4", "()"), new byte[4]));
        seed(c, "npy", "bad-magic", "NUMPY".getBytes(StandardCharsets.US_ASCII));
        seed(c, "npy", "valid-v3", npy(3, dict("<f4", "(1,)"), new byte[4]));
        seed(c, "npy", "valid-big-endian", npy(1, dict(">i4", "(2,)"), new byte[] {0, 0, 0, 1, 0, 0, 0, 0}));
        seed(c, "npy", "valid-fortran", npy(1, dict("<f4", "(2, 3)").replace("False", "True"), new byte[24]));
        seed(c, "npy", "valid-fortran-big-endian", npy(1, dict(">i8", "(2, 1, 2)").replace("False", "True"), new byte[32]));
        seed(c, "npy", "bad-version", npy(4, dict("<f4", "(1,)"), new byte[4]));
        seed(c, "npy", "bad-structured", npy(3, "{'descr': [('a', '<f4'), ('b', [('c', '>i4', (2,))])], 'fortran_order': False, 'shape': (1,), }",
                new byte[12]));
        seed(c, "npy", "bad-dtype", npy(1, dict("<f8", "(1,)"), new byte[8]));
        seed(c, "npy", "bad-big-endian-dtype", npy(1, dict(">u2", "(1,)"), new byte[2]));
        seed(c, "npy", "bad-dict", npy(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4]));
        seed(c, "npy", "bad-duplicate", npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        seed(c, "npy", "bad-overflow", npy(1, dict("<f4", "(4611686018427387904, 4)"), new byte[0]));
        seed(c, "npy", "bad-huge-dim", npy(1, dict("<f4", "(99999999999999999999,)"), new byte[0]));
        seed(c, "npy", "bad-truncated", npy(1, dict("<f4", "(3,)"), new byte[8]));
        seed(c, "npy", "bad-trailing", npy(1, dict("<f4", "(1,)"), new byte[6]));

        seed(c, "npyPair", "valid-u8-i64", FuzzFiles.join(u8, i64));
        seed(c, "npyPair", "valid-f32-rows-i32", FuzzFiles.join(f32, i32));
        seed(c, "npyPair", "valid-u8-rgb-i64", FuzzFiles.join(npy(1, dict("|u1", "(2, 3, 1, 1)"), new byte[] {0, 1, 2, 3, 4, (byte) 255}), i64));
        seed(c, "npyPair", "valid-fortran-big-endian", FuzzFiles.join(npy(1, dict(">f4", "(2, 1, 2)").replace("False", "True"), new byte[16]),
                npy(1, dict(">i8", "(2,)"), new byte[16])));
        seed(c, "npyPair", "bad-channels", FuzzFiles.join(npy(1, dict("|u1", "(2, 2, 1, 1)"), new byte[4]), i64));
        seed(c, "npyPair", "bad-count", FuzzFiles.join(u8, npy(1, dict("|u1", "(3,)"), new byte[3])));
        seed(c, "npyPair", "bad-label-range", FuzzFiles.join(u8, npy(1, dict("<i8", "(2,)"), ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(300).array())));
        seed(c, "npyPair", "bad-pixel-range", FuzzFiles.join(npy(1, dict("<f4", "(1, 1)"), ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN).putFloat(2f).array()), npy(1, dict("|u1", "(1,)"), new byte[1])));
    }

    // ---- idx ----

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] idx(int dtype, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) dtype).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void idx() throws IOException {
        String c = "dev.nvae.data.IdxFuzzTest";
        byte[] images = temp(f -> IdxWriter.writeImages(f, new float[] {0, 0.5f, 1, 0.2f, 0.4f, 0.6f, 0.8f, 1}, 2, 2, 2));
        byte[] labels = temp(f -> IdxWriter.writeLabels(f, new int[] {1, 0}));
        seed(c, "idx", "valid-images", images);
        seed(c, "idx", "valid-labels", labels);
        seed(c, "idx", "valid-images-gz", gzip(images));
        seed(c, "idx", "bad-magic", new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        seed(c, "idx", "valid-float-images", concat(idx(0x0D, 1, 2, 2), ByteBuffer.allocate(16).putFloat(0).putFloat(0.5f).putFloat(1).putFloat(0.25f).array()));
        seed(c, "idx", "valid-double-images-gz", gzip(concat(idx(0x0E, 1, 1, 2), ByteBuffer.allocate(16).putDouble(1).putDouble(0.75).array())));
        seed(c, "idx", "bad-dtype", idx(0x0C, 1));
        seed(c, "idx", "bad-float-pixel", concat(idx(0x0D, 1, 1, 1), ByteBuffer.allocate(4).putFloat(-0.5f).array()));
        seed(c, "idx", "bad-ndims", idx(8));
        seed(c, "idx", "bad-negative", idx(8, -1));
        seed(c, "idx", "bad-overflow", idx(8, 65536, 65536, 65536));
        seed(c, "idx", "bad-truncated", concat(idx(8, 4), new byte[2]));
        seed(c, "idx", "bad-trailing", concat(idx(8, 1), new byte[2]));
        seed(c, "idx", "bad-gzip-bomb", gzip(concat(idx(8, 16), new byte[100_000])));
        byte[] gz = gzip(images);
        seed(c, "idx", "bad-gzip-truncated", java.util.Arrays.copyOf(gz, gz.length - 6));
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 1;
        seed(c, "idx", "bad-gzip-crc", crc);

        seed(c, "idxPair", "valid", FuzzFiles.join(images, labels));
        seed(c, "idxPair", "valid-gz", FuzzFiles.join(gzip(images), gzip(labels)));
        seed(c, "idxPair", "bad-count", FuzzFiles.join(images, concat(idx(8, 3), new byte[3])));
        seed(c, "idxPair", "bad-2d-images", FuzzFiles.join(concat(idx(8, 2, 4), new byte[8]), labels));
        seed(c, "idxPair", "bad-empty-images", FuzzFiles.join(idx(8, 2, 0, 4), labels));
    }

    // ---- images ----

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer");
        return out.toByteArray();
    }

    private static byte[] pngChunks(int width, int height, int bitDepth, int colourType, byte[] idat) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typed = concat(type.getBytes(StandardCharsets.US_ASCII), data);
        CRC32 crc = new CRC32();
        crc.update(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] pgm(String header, int bytes) {
        return concat(header.getBytes(StandardCharsets.US_ASCII), new byte[bytes]);
    }

    private void images() throws IOException {
        String c = "dev.nvae.data.ImageFuzzTest";
        BufferedImage g8 = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 50, 100, 150, 200, 255});
        BufferedImage g16 = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 1, 0x336699);
        BufferedImage indexed = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED);
        BufferedImage binary = new BufferedImage(9, 2, BufferedImage.TYPE_BYTE_BINARY);
        BufferedImage grey2 = greyLevels(5, 2, 2), grey4 = greyLevels(3, 2, 4);
        BufferedImage greyAlpha = ImageTypeSpecifier.createGrayscale(8, DataBuffer.TYPE_BYTE, false, false).createBufferedImage(2, 2);
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        byte[] grey = png(g8);
        seed(c, "png", "valid-grey8", grey);
        seed(c, "png", "valid-grey16", png(g16));
        seed(c, "png", "valid-rgb", png(rgb));
        seed(c, "png", "valid-palette", png(indexed));
        seed(c, "png", "valid-1bit", png(binary));
        seed(c, "png", "valid-grey2", png(grey2));
        seed(c, "png", "valid-grey4", png(grey4));
        seed(c, "png", "valid-grey-alpha", png(greyAlpha));
        seed(c, "png", "valid-argb", png(argb));
        seed(c, "png", "bad-signature", "GIF89a".getBytes(StandardCharsets.US_ASCII));
        seed(c, "png", "bad-truncated", java.util.Arrays.copyOf(grey, grey.length - 20));
        byte[] crc = grey.clone();
        crc[40] ^= 1;
        seed(c, "png", "bad-crc", crc);
        seed(c, "png", "bad-huge", pngChunks(50_000, 50_000, 8, 0, new byte[0]));
        seed(c, "png", "bad-idat-not-zlib", pngChunks(2, 2, 8, 0, new byte[] {1, 2, 3}));
        seed(c, "png", "bad-bit-depth", pngChunks(2, 2, 7, 0, new byte[0]));
        seed(c, "png", "bad-colour-type", pngChunks(2, 2, 8, 5, new byte[0]));
        // pngDecoder fixes up CRCs, so only seeds that pass the chunk check are of use to it.
        for (String name : List.of("valid-grey8", "valid-grey16", "valid-rgb", "valid-palette", "valid-1bit", "valid-grey2", "valid-grey4", "valid-grey-alpha",
                "valid-argb", "bad-huge", "bad-idat-not-zlib", "bad-bit-depth", "bad-colour-type")) {
            Path from = resources.resolve(c.replace('.', '/') + "Inputs/png/" + name);
            seed(c, "pngDecoder", name, Files.readAllBytes(from));
        }

        byte[] p5 = pgm("P5\n# comment\n3 2\n255\n", 6);
        byte[] p2 = "P2 2 2 15 0 15 5 10\n".getBytes(StandardCharsets.US_ASCII);
        seed(c, "pgm", "valid-p5", p5);
        seed(c, "pgm", "valid-p5-16bit", pgm("P5 2 1 65535 ", 4));
        seed(c, "pgm", "valid-p2", p2);
        seed(c, "pgm", "bad-magic", pgm("P6 1 1 255 ", 3));
        seed(c, "pgm", "bad-maxval", pgm("P5 1 1 0 ", 1));
        seed(c, "pgm", "bad-huge", pgm("P5 100000 100000 255 ", 0));
        seed(c, "pgm", "bad-truncated", pgm("P5 2 2 255\n", 3));
        seed(c, "pgm", "bad-trailing", pgm("P5 1 1 255\n", 2));
        seed(c, "pgm", "bad-sample", "P2 2 1 9 3 12".getBytes(StandardCharsets.US_ASCII));

        // folder inputs: class count byte, then (tag, 2-byte length, content) per file; tag bit 7 = PNG.
        seed(c, "folder", "valid-two-classes", folder(1, file(0, p5), file(1, p5), file(0, p5), file(0x81, pngOf(3, 2)),
                file(1, p5), file(0, p5)));
        // Grey of 1, 2 and 4 bits beside 8-bit grey: one grey folder (the low depths once decoded as colour and crashed it).
        seed(c, "folder", "valid-low-bit-grey", folder(1, file(0x80, png(binaryOf(3, 2))), file(0x81, png(greyLevels(3, 2, 2))),
                file(0x80, png(greyLevels(3, 2, 4))), file(0x81, pngOf(3, 2))));
        seed(c, "folder", "bad-mixed-sizes", folder(1, file(0, p5), file(1, pgm("P5 4 4 255\n", 16))));
        seed(c, "folder", "bad-empty-class", folder(2, file(0, p5), file(1, p5)));
    }

    /**
     * A {@code w}×{@code h} image of {@code bits}-bit grey (2 or 4), every level used: a palette that is the grey ramp
     * v·255/(2^bits−1), which the JDK's writer stores as a grey PNG of that depth (colour type 0).
     */
    private static BufferedImage greyLevels(int w, int h, int bits) {
        int n = 1 << bits;
        byte[] ramp = new byte[n];
        for (int v = 0; v < n; v++) ramp[v] = (byte) (v * 255 / (n - 1));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, new java.awt.image.IndexColorModel(bits, n, ramp, ramp, ramp));
        for (int i = 0; i < w * h; i++) img.getRaster().setSample(i % w, i / w, 0, i % n);
        return img;
    }

    private static BufferedImage binaryOf(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        for (int i = 0; i < w * h; i += 2) img.getRaster().setSample(i % w, i / w, 0, 1);
        return img;
    }

    private static byte[] pngOf(int w, int h) throws IOException {
        return png(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY));
    }

    private static byte[] file(int tag, byte[] content) {
        return concat(new byte[] {(byte) tag, (byte) (content.length >>> 8), (byte) content.length}, content);
    }

    private static byte[] folder(int classesMinusOne, byte[]... files) {
        byte[] out = {(byte) classesMinusOne};
        for (byte[] f : files) out = concat(out, f);
        return out;
    }
}
