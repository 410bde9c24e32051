package dev.nvae.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The KL term read as a feature detector (docs/MODEL.md#4, use 1): a latent dimension whose posterior stays
 * at the prior (KL ≈ 0) carries nothing; one above {@code threshold} nats is a factor the model uses.
 *
 * @param shared           S[j], mean KL of shared dimension j over all examples (a baseline's z)
 * @param perClass         A[k][j], mean KL of class k's dimension j over the examples of class k; NaN where
 *                         examplesPerClass[k] is 0
 * @param examplesPerClass how many examples each A[k] is averaged over
 * @param matchedClasses   a label-free model's clusters ({@code classNames}: "cluster k"), where the split has labels:
 *                         the class each stands for under the best one-to-one matching (null for one matched to none);
 *                         empty otherwise
 */
public record FactorReport(String split, long examples, double threshold, List<String> classNames,
                           double[] shared, double[][] perClass, long[] examplesPerClass, List<String> matchedClasses) {

    public FactorReport {
        matchedClasses = java.util.Collections.unmodifiableList(new ArrayList<>(matchedClasses));  // entries may be null
        if (!matchedClasses.isEmpty() && matchedClasses.size() != classNames.size()) {
            throw new IllegalArgumentException(matchedClasses.size() + " matched classes for " + classNames.size() + " clusters");
        }
    }

    /** With no clusters matched to classes (a model of classes, or a split without labels). */
    public FactorReport(String split, long examples, double threshold, List<String> classNames, double[] shared, double[][] perClass,
                        long[] examplesPerClass) {
        this(split, examples, threshold, classNames, shared, perClass, examplesPerClass, List.of());
    }

    /** Row k's name for people: the class, or the cluster and the class it matches ("cluster 2 = Trouser"). */
    public String rowName(int k) {
        String matched = matchedClasses.isEmpty() ? null : matchedClasses.get(k);
        return matched == null ? classNames.get(k) : classNames.get(k) + " = " + matched;
    }

    /** Shared dimensions above the threshold. */
    public List<Integer> activeShared() {
        return above(shared);
    }

    /** Class k's dimensions above the threshold (none for a class without examples: nothing was measured). */
    public List<Integer> activeInClass(int k) {
        return examplesPerClass[k] == 0 ? List.of() : above(perClass[k]);
    }

    private List<Integer> above(double[] kl) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < kl.length; j++) if (kl[j] > threshold) out.add(j);
        return out;
    }
}
