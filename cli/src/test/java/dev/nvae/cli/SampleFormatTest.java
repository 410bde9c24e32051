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

    /**
     * PNG names keep class names' letters and digits of any script (a class "猫" was written as "_") and stay
     * within a file system's 255 bytes (a 250-character class name made every file's name too long).
     */
    @Test
    void pngNamesKeepLettersOfAnyScriptAndFitTheFileSystem() {
        assertEquals("T-shirt_top", SampleFormat.fileSafe("T-shirt/top"));
        assertEquals("猫", SampleFormat.fileSafe("猫"));
        assertEquals("Ankle_boot", SampleFormat.fileSafe("Ankle boot"));
        assertEquals("café_crème", SampleFormat.fileSafe("café \t crème"));
        assertEquals("x".repeat(200), SampleFormat.fileSafe("x".repeat(300)));
        assertEquals("é".repeat(100), SampleFormat.fileSafe("é".repeat(150)), "200 bytes of two-byte characters");
        String wide = new String(Character.toChars(0x20000)); // a CJK letter: 4 bytes in UTF-8, two chars in Java
        assertEquals(wide.repeat(50), SampleFormat.fileSafe(wide.repeat(60)), "cut between characters, never inside one");
        assertEquals("a" + wide.repeat(49), SampleFormat.fileSafe("a" + wide.repeat(60)), "197 bytes: one more 4-byte character would not fit");
        // A JVM that names files in ASCII (a locale the launcher did not set) gets '_' where it cannot encode: an
        // InvalidPathException ('internal error') otherwise.
        assertEquals("caf_", SampleFormat.fileSafe("café 猫", java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("T-shirt_top", SampleFormat.fileSafe("T-shirt/top", java.nio.charset.StandardCharsets.US_ASCII));
    }
}
