package dev.nvae.model;

/**
 * The bookkeeping of the unlabelled bound (docs/MODEL.md#6-unlabelled-examples): an example without a
 * label is decoded once per class, so the decoder of a batch reads more rows than the encoder. Example
 * i's decoder rows are {@code firstRow[i] .. firstRow[i+1]−1}: one for a labelled example, K for an
 * unlabelled one (row firstRow[i]+k decoded as class k). Held by a {@link Workspace} built for unlabelled
 * examples; filled by the family during a pass and read by the next step of the same pass.
 * B = batch capacity, K classes, R = B·K decoder rows.
 */
final class ClassPasses {
    final int classes;
    final int[] firstRow;        // (B+1) example i's first decoder row; firstRow[batch] = rows in use
    final double[] logQ;         // (B, K) log q(y|x) of each unlabelled example
    final double[] rowTerm;      // (R) per decoder row of an unlabelled example: −log p(x|y,z) + β_c·KL_c^y
    final double[] balanceLog;   // (K) log(K·q̄_y), q̄ the mean q(y|x) of the batch's unlabelled examples
    final double[] dLossDq;      // (B, K) ∂(example's loss)/∂q(y|x), up to a constant per example

    ClassPasses(int capacity, int classes) {
        this.classes = classes;
        firstRow = new int[capacity + 1];
        logQ = new double[Math.multiplyExact(capacity, classes)];
        rowTerm = new double[Math.multiplyExact(capacity, classes)];
        balanceLog = new double[classes];
        dLossDq = new double[Math.multiplyExact(capacity, classes)];
    }
}
