package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchOrderTest {
    /** n one-pixel examples; those below {@code labelled} have a label. */
    private static Dataset data(int n, int labelled) {
        BitSet missing = new BitSet();
        missing.set(labelled, n);
        return new Dataset("t", new byte[n], new byte[n], missing, 1, 1, 1, List.of("a", "b"));
    }

    @Test
    void mixedBatchesHoldTheShareOfLabelledExamplesSpreadThroughTheBatch() {
        Dataset d = data(1000, 40);
        BatchOrder order = new BatchOrder(d, 16, 0.25, 3);
        assertTrue(order.mixed());
        assertEquals(16, order.capacity());
        assertEquals((960 + 11) / 12, order.stepsPerEpoch(), "one pass over the 960 unlabelled examples, 12 a step");
        int[] batch = new int[16];
        assertEquals(16, order.batch(0, 0, batch));
        long labelled = Arrays.stream(batch).filter(d::hasLabel).count();
        assertEquals(4, labelled);
        assertTrue(!d.hasLabel(batch[0]) && d.hasLabel(batch[3]) && !d.hasLabel(batch[4]), "interleaved: " + Arrays.toString(batch));
    }

    @Test
    void anEpochVisitsTheLongerKindOnceAndRevisitsTheOther() {
        Dataset d = data(130, 10);
        BatchOrder order = new BatchOrder(d, 4, 0.5, 1);
        assertEquals(60, order.stepsPerEpoch());
        int[] seen = new int[130], batch = new int[4];
        for (int s = 0; s < order.stepsPerEpoch(); s++) {
            order.batch(0, s, batch);
            for (int i : batch) seen[i]++;
        }
        for (int i = 10; i < 130; i++) assertEquals(1, seen[i], "unlabelled example " + i + " once an epoch");
        for (int i = 0; i < 10; i++) assertEquals(12, seen[i], "labelled example " + i + " revisited: 120 places over 10");
    }

    @Test
    void aStepIsAFunctionOfItsPositionAlone() {
        Dataset d = data(200, 30);
        int[] a = new int[8], b = new int[8];
        new BatchOrder(d, 8, 0.5, 9).batch(3, 7, a);
        BatchOrder fresh = new BatchOrder(d, 8, 0.5, 9);
        fresh.batch(0, 0, b);
        fresh.batch(5, 1, b);
        fresh.batch(3, 7, b);
        assertArrayEquals(a, b, "what a resumed run reads");
    }

    @Test
    void unmixedDataKeepsOnePermutationPerEpoch() {
        Dataset all = data(10, 10), none = data(10, 0);
        for (Dataset d : List.of(all, none)) {
            BatchOrder order = new BatchOrder(d, 4, 0.5, 2);
            assertEquals(3, order.stepsPerEpoch());
            int[] batch = new int[4];
            assertEquals(2, order.batch(0, 2, batch), "the last batch is smaller");
        }
    }

    @Test
    void aShareThatLeavesAKindOutIsRefused() {
        NvaeException e = assertThrows(NvaeException.class, () -> new BatchOrder(data(100, 10), 4, 0.05, 0));
        assertTrue(e.getMessage().contains("no labelled example"), e.getMessage());
        assertThrows(NvaeException.class, () -> new BatchOrder(data(100, 10), 4, 0.95, 0));
        // The edges are taken: one labelled example of four, or one unlabelled (mutation testing found them unpinned).
        assertEquals(1, BatchOrder.labelledPerBatch(4, 0.25));
        assertEquals(3, BatchOrder.labelledPerBatch(4, 0.75));
        // A batch of one has room for one kind only, and the refusal names the kind left out.
        assertEquals("--labelled-share 0.6 of --batch 1 leaves no unlabelled one: a mixed batch needs at least one labelled and one "
                + "unlabelled example", assertThrows(NvaeException.class, () -> BatchOrder.labelledPerBatch(1, 0.6)).getMessage());
        assertEquals("--labelled-share 0.4 of --batch 1 leaves no labelled example: a mixed batch needs at least one labelled and one "
                + "unlabelled example", assertThrows(NvaeException.class, () -> BatchOrder.labelledPerBatch(1, 0.4)).getMessage());
    }

    /**
     * Mixed batches go on from epoch to epoch: the second epoch's first batch is not the first epoch's (a step's place in
     * the sequence is epoch × steps + step; epoch / steps made epoch 1 repeat epoch 0).
     */
    @Test
    void mixedBatchesOfTheNextEpochGoOnWhereTheLastLeftOff() {
        BatchOrder order = new BatchOrder(data(130, 10), 4, 0.5, 1);
        int[] first = new int[4], next = new int[4];
        order.batch(0, 0, first);
        order.batch(1, 0, next);
        assertTrue(!Arrays.equals(first, next), Arrays.toString(first) + " twice");
    }

    /** The options' edges: a batch of one is a batch, a learning rate of 0 or a labelled share of 0 or 1 is none. */
    @Test
    void trainOptionsTakeTheirEdgesAndRefuseWhatIsNoSetting() {
        assertEquals(1, new TrainOptions(1, 1, 1e-3, 0).batchSize());
        assertEquals("--lr 0.0 must be a positive number", assertThrows(NvaeException.class, () -> new TrainOptions(1, 8, 0, 0)).getMessage());
        for (double share : new double[]{0, 1}) {
            assertEquals("--labelled-share " + (share == 0 ? "0.0" : "1.0") + " must be in (0, 1)",
                    assertThrows(NvaeException.class, () -> new TrainOptions(1, 8, 1e-3, 0, share)).getMessage());
        }
    }

    /** A position between two steps: the last step of an epoch is one, the step past it is the next epoch's first. */
    @Test
    void aTrainingPositionTakesItsEdgesAndRefusesWhatIsNoPosition() {
        assertEquals(9, new TrainingPosition(0, 9, 10, 0, 0).globalStep());
        assertEquals(3, new TrainingPosition(3, 0, 1, 0, 0).globalStep());
        for (long[] bad : new long[][]{{0, 10, 10, 0, 0}, {0, 0, 0, 0, 0}, {-1, 0, 10, 0, 0}, {0, -1, 10, 0, 0}, {0, 0, 10, -1, 0}, {0, 0, 10, 0, -1}}) {
            assertThrows(IllegalArgumentException.class, () -> new TrainingPosition((int) bad[0], (int) bad[1], (int) bad[2], bad[3], bad[4]),
                    Arrays.toString(bad));
        }
    }
}
