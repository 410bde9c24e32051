package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A data directory whose images (or labels) are float64 is refused with the dtypes images (labels) may have; the
 * message listed every dtype the NPY reader reads, int64 and int32 among them, which images may not be.
 */
class NpyDtypeCliTest {
    @TempDir
    Path dir;

    @Test
    void float64ImagesAreToldImagesAreUint8OrFloat32() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train-images.npy"), npy("<f8", "(2, 1, 1)", new byte[16]));
        Files.write(data.resolve("train-labels.npy"), npy("<i8", "(2,)", new byte[16]));
        String line = Cli.assertRefused(train(data), dir.resolve("out"), "train-images.npy: images must be uint8 (|u1) or float32 (<f4), found <f8");
        assertFalse(line.contains("<i8"), line);
    }

    @Test
    void float64LabelsAreToldLabelsAreIntegers() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train-images.npy"), npy("|u1", "(2, 1, 1)", new byte[2]));
        Files.write(data.resolve("train-labels.npy"), npy("<f8", "(2,)", new byte[16]));
        Cli.assertRefused(train(data), dir.resolve("out"), "train-labels.npy: labels must be integers (<i8, <i4 or |u1), found <f8");
    }

    private Cli.Result train(Path data) throws IOException {
        Files.createDirectories(dir.resolve("out"));
        return Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "32,16", "--out", dir.resolve("out/m.nvae"));
    }

    /** An NPY v1 file as numpy writes it. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
