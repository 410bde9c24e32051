package dev.nvae.cli;

import dev.nvae.cli.serve.TestNpy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
        Files.write(data.resolve("train-images.npy"), TestNpy.f64(new double[2], 2, 1, 1));
        Files.write(data.resolve("train-labels.npy"), TestNpy.i64(0, 0));
        String line = Cli.assertRefused(train(data), dir.resolve("out"), "train-images.npy: images must be uint8 (|u1) or float32 (<f4), found <f8");
        assertFalse(line.contains("<i8"), line);
    }

    @Test
    void float64LabelsAreToldLabelsAreIntegers() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train-images.npy"), TestNpy.u8(new byte[2], 2, 1, 1));
        Files.write(data.resolve("train-labels.npy"), TestNpy.f64(new double[2], 2));
        Cli.assertRefused(train(data), dir.resolve("out"), "train-labels.npy: labels must be integers (<i8, <i4 or |u1), found <f8");
    }

    /**
     * Images stored channels last, as PIL and most numpy code keep them, are told how to store them channels first (found
     * by an audit): (N, 8, 8, 3) RGB images were refused as 'images of 8 channels', which they are not.
     */
    @Test
    void channelsLastImagesAreToldToTransposeThem() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train-images.npy"), TestNpy.u8(new byte[2 * 4 * 4 * 3], 2, 4, 4, 3));
        Files.write(data.resolve("train-labels.npy"), TestNpy.i64(0, 1));
        Cli.assertRefused(train(data), dir.resolve("out"), "train-images.npy: holds images of 4 channels (shape [2, 4, 4, 3]); a dataset's"
                + " images have 1 channel (grey) or 3 (RGB), channels first: an array of images (N, H, W, 3) is stored as"
                + " a.transpose(0, 3, 1, 2)");
    }

    /**
     * Images that cannot be read are refused in one line, without the warning that they have no labels file beside them
     * (found by an audit: the warning came first, and the user was told of two things to fix where there was one).
     */
    @Test
    void unreadableImagesWithoutLabelsAreRefusedInOneLine() throws IOException {
        Path npy = Files.createDirectories(dir.resolve("npy"));
        Files.writeString(npy.resolve("train-images.npy"), "not an array");
        Cli.assertRefused(train(npy), dir.resolve("out"), "train-images.npy: not an NPY file");
        Path idx = Files.createDirectories(dir.resolve("idx"));
        Files.writeString(idx.resolve("train-images-idx3-ubyte"), "not an array");
        Cli.assertRefused(train(idx), dir.resolve("out"), "train-images-idx3-ubyte: bad magic");
    }

    private Cli.Result train(Path data) throws IOException {
        Files.createDirectories(dir.resolve("out"));
        return Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "32,16", "--out", dir.resolve("out/m.nvae"));
    }
}
