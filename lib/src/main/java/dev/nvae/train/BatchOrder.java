package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.random.Rng;

import java.util.Locale;

/**
 * Which examples each training step reads: a pure function of (seed, epoch, step), so a run can resume
 * anywhere.
 * <ul>
 *   <li>Every example labelled, or none, or a model that reads no label: one permutation of all examples per epoch, drawn from stream
 *       (seed, epoch), cut into batches of B (the last one smaller).</li>
 *   <li>Labelled and unlabelled examples mixed (docs/MODEL.md#6-unlabelled-examples): every batch holds
 *       B_l = round(share·B) labelled and B_u = B − B_l unlabelled examples, interleaved (labelled ones
 *       spread evenly through the batch, so the worker threads' rows cost alike). Each kind is read as an
 *       endless sequence of permutations — the labelled examples in the order of stream (seed, {@value #LABELLED}, p),
 *       the unlabelled ones of (seed, {@value #UNLABELLED}, p), p = 0, 1, … — and an epoch is one pass over
 *       the kind that takes longer, max(⌈N_l/B_l⌉, ⌈N_u/B_u⌉) steps; the other kind is revisited as
 *       needed. With 1,000 labelled and 59,000 unlabelled examples and the default share ½ at B = 128, an
 *       epoch is 922 steps and sees each labelled example about 59 times.</li>
 * </ul>
 */
public final class BatchOrder {
    static final long LABELLED = 0x1AB, UNLABELLED = 0x0AB;
    /** The labelled share of a mixed batch when nothing says otherwise. */
    public static final double DEFAULT_LABELLED_SHARE = 0.5;

    private final long seed;
    private final int batch, steps;
    private final int[] order;               // unmixed: this epoch's permutation of all examples
    private final Sequence labelled, unlabelled; // mixed: both kinds; null otherwise
    private final boolean[] slotLabelled;    // mixed: which batch positions take a labelled example
    private int epoch = -1;

    /** @param share the labelled fraction of a mixed batch, in (0, 1); unused when the data is not mixed */
    public BatchOrder(Dataset data, int batchSize, double share, long seed) {
        this(data, batchSize, share, seed, true);
    }

    /** @param byLabel whether labelled and unlabelled examples are mixed in a share; false: one permutation of all */
    public BatchOrder(Dataset data, int batchSize, double share, long seed, boolean byLabel) {
        this.seed = seed;
        int n = data.count(), nl = data.labelledCount();
        if (!byLabel || nl == 0 || nl == n) {
            batch = Math.min(batchSize, n);
            steps = (n + batch - 1) / batch;
            order = new int[n];
            labelled = unlabelled = null;
            slotLabelled = null;
            return;
        }
        batch = batchSize;
        int bl = labelledPerBatch(batchSize, share);
        int[] l = new int[nl], u = new int[n - nl];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (data.hasLabel(i)) l[a++] = i;
            else u[b++] = i;
        }
        labelled = new Sequence(l, bl, LABELLED);
        unlabelled = new Sequence(u, batchSize - bl, UNLABELLED);
        steps = Math.max(ceilDiv(l.length, bl), ceilDiv(u.length, batchSize - bl));
        order = null;
        slotLabelled = new boolean[batchSize];
        for (int j = 0; j < batchSize; j++) slotLabelled[j] = (long) (j + 1) * bl / batchSize > (long) j * bl / batchSize;
    }

    /**
     * B_l, the labelled examples of a mixed batch of {@code batchSize}; refuses a share that leaves either kind out.
     * Public so that {@code train} refuses it before it announces the run, as it refuses every other flag.
     */
    public static int labelledPerBatch(int batchSize, double share) {
        if (!(share > 0 && share < 1)) {
            throw new NvaeException(String.format(Locale.ROOT, "--labelled-share %s must be in (0, 1)", share));
        }
        int bl = (int) Math.round(share * batchSize);
        if (bl < 1 || bl > batchSize - 1) {
            throw new NvaeException(String.format(Locale.ROOT, "--labelled-share %s of --batch %d leaves %s: a mixed batch needs "
                    + "at least one labelled and one unlabelled example", share, batchSize, bl < 1 ? "no labelled example" : "no unlabelled one"));
        }
        return bl;
    }

    /** Rows of the largest batch. */
    public int capacity() {
        return batch;
    }

    public int stepsPerEpoch() {
        return steps;
    }

    /** Whether batches mix labelled and unlabelled examples. */
    public boolean mixed() {
        return order == null;
    }

    /** The examples of step {@code step} of epoch {@code epoch} into {@code indices}; returns how many. */
    public int batch(int epoch, int step, int[] indices) {
        if (order != null) {
            if (epoch != this.epoch) Rng.stream(seed, epoch).permutation(order);
            this.epoch = epoch;
            int from = step * batch, count = Math.min(batch, order.length - from);
            System.arraycopy(order, from, indices, 0, count);
            return count;
        }
        long global = (long) epoch * steps + step;
        int a = 0, b = 0;
        for (int j = 0; j < batch; j++) {
            indices[j] = slotLabelled[j] ? labelled.at(global, a++) : unlabelled.at(global, b++);
        }
        return batch;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Examples read endlessly, one permutation after another, {@code perStep} per step. */
    private final class Sequence {
        private final int[] examples, permuted;
        private final int perStep;
        private final long stream;
        private long drawn = -1; // which permutation {@code permuted} holds

        Sequence(int[] examples, int perStep, long stream) {
            this.examples = examples;
            this.permuted = new int[examples.length];
            this.perStep = perStep;
            this.stream = stream;
        }

        /** The {@code k}-th example of global step {@code global}. */
        int at(long global, int k) {
            long position = global * perStep + k;
            long p = position / examples.length;
            if (p != drawn) {
                Rng.stream(seed, stream, p).permutation(permuted);
                for (int i = 0; i < permuted.length; i++) permuted[i] = examples[permuted[i]];
                drawn = p;
            }
            return permuted[(int) (position % examples.length)];
        }
    }
}
