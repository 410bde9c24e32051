package dev.nvae.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where {@code sample --format npy} puts the labels of its samples. */
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
}
