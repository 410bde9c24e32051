package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.NvaeException;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The mix keeps the size and every label; exactly round(r·N) examples are generated, the rest are real. */
class AugmentationTest {
    @Test
    void aFractionOfTheExamplesIsReplacedBySamplesOfTheSameClass() {
        Dataset train = DataSources.load("testdata", Split.TRAIN).first(250);
        try (Backend be = new VectorBackend(1); LatentModel g = LatentModel.create(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 8, 2, 1, 1, 1))) {
            g.initialize(1);
            for (double r : new double[]{0, 0.4, 1}) {
                Dataset mixed = Augmentation.mix(g, be, train, r, 1.0, 5);
                assertEquals(train.count(), mixed.count());
                assertArrayEquals(train.classCounts(), mixed.classCounts(), "labels are kept");
                int real = 0;
                for (int i = 0; i < mixed.count(); i++) {
                    float[] x = mixed.image(i);
                    for (int j = 0; j < train.count(); j++) {
                        if (Arrays.equals(x, train.image(j))) {
                            real++;
                            break;
                        }
                    }
                }
                assertEquals(train.count() - Math.round(r * train.count()), real, "r = " + r);
            }
        }
    }

    /** Examples without a label are refused by name, not an index of -1 deep in the classifier's training or test. */
    @Test
    void examplesWithoutALabelAreRefused() {
        Dataset train = DataSources.load("testdata", Split.TRAIN).first(100), test = DataSources.load("testdata", Split.TEST).first(50);
        Dataset partTrain = dev.nvae.data.LabelSelection.perClass(train, 2, 1), partTest = dev.nvae.data.LabelSelection.perClass(test, 2, 1);
        try (Backend be = new VectorBackend(1); LatentModel g = LatentModel.create(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 8, 2, 1, 1, 1))) {
            g.initialize(1);
            Augmentation.ClassifierOptions options = new Augmentation.ClassifierOptions(16, 8,
                    new dev.nvae.train.TrainOptions(1, 32, 1e-3, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Augmentation.run(g, be, be, train, partTest, 0, 1.0, options, dev.nvae.train.TrainingListener.NONE));
            assertEquals(partTest.name() + ": " + (50 - partTest.labelledCount()) + " of 50 examples have no label; a classifier learns "
                    + "and is scored on labelled ones only", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Augmentation.run(g, be, be, partTrain, test, 0, 1.0, options, dev.nvae.train.TrainingListener.NONE));
        }
    }

    /** A colour generator of the data's size, on grey data: the refusal names both shapes' channels (it read "28x28 ... 28x28"). */
    @Test
    void aGeneratorOfOtherChannelsIsRefusedNamingThem() {
        Dataset train = DataSources.load("testdata", Split.TRAIN).first(20);
        try (Backend be = new VectorBackend(1); LatentModel g = LatentModel.create(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 8, 2, 1, 1, 1).withChannels(3))) {
            g.initialize(1);
            NvaeException e = assertThrows(NvaeException.class, () -> Augmentation.mix(g, be, train, 0.5, 1.0, 5));
            assertEquals("--data " + train.name() + ": 10 classes of 1x28x28 images, but the generator makes 10 classes of 3x28x28",
                    e.getMessage());
        }
    }
}
