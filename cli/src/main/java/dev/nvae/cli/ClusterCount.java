package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;

/**
 * K, the number of clusters of `train --labels none` and of `cluster`: --clusters, or by default the data's
 * number of classes. Refused where the data names fewer than two classes to default to, and where K exceeds
 * the examples (some clusters could never hold one) — in the same words for both commands.
 */
final class ClusterCount {
    private ClusterCount() {
    }

    /**
     * @param given --clusters, or null for the default
     * @param set   the examples to cluster
     * @param what  how the refusals name them after "--data ": "fm (test split)", "fm:train"
     */
    static int of(Integer given, Dataset set, String what) {
        return of(given, set, what, what);
    }

    /**
     * {@link #of(Integer, Dataset, String)} for examples that are not all of {@code what}: {@code examples} names them
     * in the refusal of more clusters than examples ("the first --limit 4 of fm:train"), or it counts a split's first
     * examples as if they were the whole of it.
     */
    static int of(Integer given, Dataset set, String what, String examples) {
        if (given == null && set.numClasses() < 2) {
            throw new NvaeException("--data " + what + ": " + (set.numClasses() == 0 ? "no example has a label to count classes from"
                    : "the labels name 1 class") + "; give --clusters K, the number of clusters");
        }
        int k = given != null ? given : set.numClasses();
        if (k > set.count()) {
            throw new NvaeException((given != null ? "--clusters " + k : "the data's " + k + " classes (the default --clusters)")
                    + ": more clusters than the " + set.count() + " examples in " + examples);
        }
        return k;
    }
}
