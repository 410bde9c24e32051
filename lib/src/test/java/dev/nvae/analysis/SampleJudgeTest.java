package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.FormatException;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.train.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample judge on the committed Fashion-MNIST subset: it learns to classify real images, survives its
 * file, refuses other data; and SampleQuality's figures on what it judges are consistent and tell an
 * untrained generator from real images.
 */
class SampleJudgeTest {
    @TempDir
    static Path dir;
    static Backend be;
    static Dataset train, test;
    static SampleJudge judge;

    @BeforeAll
    static void trainJudge() {
        be = new VectorBackend(1);
        train = DataSources.load("testdata", Split.TRAIN).first(1500);
        test = DataSources.load("testdata", Split.TEST).first(400);
        judge = SampleJudge.train(be, train, test, 3, 7, TrainingListener.NONE);
    }

    @AfterAll
    static void close() {
        judge.close();
        be.close();
    }

    @Test
    void theJudgeClassifiesRealTestImagesAndKeepsItsFeatures() {
        SampleJudge.Info info = judge.info();
        // 10 classes: chance is 0.1; a small CNN reaches about 0.75 on 1,500 examples in 3 epochs.
        assertTrue(info.testAccuracy() > 0.6, "test accuracy " + info.testAccuracy());
        assertEquals(400, info.testExamples());
        assertEquals(train.fingerprint(), info.dataFingerprint());
        SampleJudge.Judged j = judge.judge(be, test);
        assertEquals(test.count(), j.predicted().length);
        assertEquals(judge.featureWidth(), j.features()[0].length);
        long right = 0;
        for (int i = 0; i < test.count(); i++) if (j.predicted()[i] == test.label(i)) right++;
        assertEquals(info.testAccuracy(), (double) right / test.count(), 1e-12, "judge() agrees with the accuracy measured in train()");
    }

    @Test
    void aSavedJudgeJudgesAsTheOriginalAndRefusesOtherData() {
        Path file = dir.resolve("judge.safetensors");
        judge.save(file);
        SampleJudge.Judged before = judge.judge(be, test);
        try (SampleJudge loaded = SampleJudge.load(file)) {
            assertEquals(judge.info(), loaded.info());
            SampleJudge.Judged after = loaded.judge(be, test);
            assertArrayEquals(before.predicted(), after.predicted());
            for (int i = 0; i < test.count(); i++) assertArrayEquals(before.features()[i], after.features()[i]);
            loaded.requireTrainedOn(train, file);
            NvaeException e = assertThrows(NvaeException.class, () -> loaded.requireTrainedOn(train.first(1000), file));
            assertTrue(e.getMessage().contains("trained on other data"), e.getMessage());
        }
        // The same file with one weight made infinite is refused in one line naming the tensor.
        SafeTensorsFile f = SafeTensors.read(file);
        List<NamedArray> arrays = new ArrayList<>();
        String poisoned = f.names().getLast();
        for (String name : f.names()) {
            float[] v = f.floats(name);
            if (name.equals(poisoned)) v[0] = Float.NEGATIVE_INFINITY;
            arrays.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(v)));
        }
        Path bad = dir.resolve("inf-judge.safetensors");
        SafeTensors.writeArrays(bad, arrays, f.metadata());
        FormatException inf = assertThrows(FormatException.class, () -> SampleJudge.load(bad));
        assertEquals("tensor " + poisoned + " holds a NaN or infinite value: the judge is unusable", inf.reason());
    }

    @Test
    void aFileThatIsNotAJudgeIsRefused() throws IOException {
        Path model = dir.resolve("model.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 8, 2, 1, 1, 1))) {
            m.initialize(1);
            ModelFile.save(m, model, train.classNames(), java.util.Map.of());
        }
        FormatException e = assertThrows(FormatException.class, () -> SampleJudge.load(model));
        assertTrue(e.getMessage().contains("not an nvae judge file"), e.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "not safetensors");
        assertThrows(FormatException.class, () -> SampleJudge.load(garbage));
    }

    @Test
    void samplesOfAnUntrainedModelAreFarFromRealImagesAndTheFiguresAddUp() {
        try (LatentModel untrained = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 32, 16, 4, 2, 1, 1))) {
            untrained.initialize(3);
            SampleQuality.Report r = SampleQuality.measure(untrained, be, judge, train, test, 20, new double[]{1, 1.4}, 5);
            assertTrue(r.conditional());
            assertEquals(judge.info().testAccuracy(), r.judgeAccuracy(), 1e-12);
            assertTrue(r.fdReal() > 0 && r.results().get(0).fd() > 10 * r.fdReal(),
                    "real images score " + r.fdReal() + ", noise from an untrained decoder " + r.results().get(0).fd());
            for (SampleQuality.AtSigma s : r.results()) {
                assertEquals(200, s.samples());
                double share = 0, perClass = 0;
                for (double v : s.predictedShare()) share += v;
                for (double v : s.perClassAgreement()) perClass += v / 10;
                assertEquals(1, share, 1e-9);
                // Each share is a count over 200, exactly (summed 1/200s gave 1.0000000000000007 for a class of all).
                for (double v : s.predictedShare()) assertEquals(Math.round(v * 200) / 200.0, v, 0.0);
                assertEquals(s.agreement(), perClass, 1e-9, "overall agreement is the mean over equally sized classes");
            }
            SampleQuality.Report again = SampleQuality.measure(untrained, be, judge, train, test, 20, new double[]{1, 1.4}, 5);
            assertEquals(r.results().get(1).fd(), again.results().get(1).fd(), "a seed gives the same samples and figures");
        }
    }

    @Test
    void anUnconditionalModelHasSharesButNoAgreement() {
        try (LatentModel vae = LatentModel.create(ModelConfig.baseline(ModelConfig.VAE, 28, 28, 10, 32, 16, 4, 1))) {
            vae.initialize(3);
            SampleQuality.Report r = SampleQuality.measure(vae, be, judge, train, test, 5, new double[]{1}, 5);
            assertTrue(!r.conditional() && Double.isNaN(r.results().getFirst().agreement()));
            assertEquals(50, r.results().getFirst().samples());
        }
    }
}
