package dev.nvae.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import dev.nvae.NvaeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where {@code sample --format npy} puts the labels of its samples, and the format an --out name implies. */
class SampleFormatTest {
    @Test
    void labelsGoBesideTheImagesAndFollowTheNpyDatasetLayout() {
        assertEquals(Path.of("d/s-labels.npy"), SampleFormat.labelsFile(Path.of("d/s.npy")));
        assertEquals(Path.of("d/s-labels.npy"), SampleFormat.labelsFile(Path.of("d/s")));
        // A dataset's image file gets the dataset's label file, so the pair is a split that --data reads.
        assertEquals(Path.of("d/train-labels.npy"), SampleFormat.labelsFile(Path.of("d/train-images.npy")));
        assertEquals(Path.of("d/test-labels.npy"), SampleFormat.labelsFile(Path.of("d/test-images.npy")));
        assertEquals(Path.of("d/my-set-labels.npy"), SampleFormat.labelsFile(Path.of("d/my-set-images.npy")));
        // A name that is the ending alone has no stem to keep: it is an ordinary name.
        assertEquals(Path.of("d/-images-labels.npy"), SampleFormat.labelsFile(Path.of("d/-images.npy")));
        assertEquals(Path.of("d/images-labels.npy"), SampleFormat.labelsFile(Path.of("d/images.npy")));
    }

    @Test
    void anOutputEndingInNpyOrPngImpliesItsFormatAndAnyOtherNeedsFormat() {
        assertEquals(SampleFormat.NPY, SampleFormat.impliedBy(Path.of("d/s.npy"), "d/s.npy"));
        assertEquals(SampleFormat.NPY, SampleFormat.impliedBy(Path.of("S.NPY"), "S.NPY"));
        assertEquals(SampleFormat.GRID, SampleFormat.impliedBy(Path.of("d/samples.png"), "d/samples.png"));
        for (String out : new String[]{"samples", "s.npz", "/"}) {
            NvaeException e = assertThrows(NvaeException.class, () -> SampleFormat.impliedBy(Path.of(out), out));
            assertEquals("--format not given and --out " + Path.of(out) + " does not end in .npy or .png: give --format png, grid, npy or idx",
                    e.getMessage());
        }
        // A '/' at the end names a directory (the Path has dropped it): the refusal echoes it and names the formats that write one.
        for (String out : new String[]{"generated/", "samples.png/"}) {
            NvaeException e = assertThrows(NvaeException.class, () -> SampleFormat.impliedBy(Path.of(out), out));
            assertEquals("--format not given and --out " + out + " names a directory: give --format png or idx to write one", e.getMessage());
        }
    }
}
