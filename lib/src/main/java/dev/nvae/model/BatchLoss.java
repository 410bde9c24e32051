package dev.nvae.model;

/**
 * Loss terms summed over examples (nats); read as means with the accessors. Mutable and reused so a
 * training step allocates nothing.
 */
public final class BatchLoss {
    public double rec, klS, klC, ce, total;
    /** classified: examples the model predicted a class for (a model without a classifier leaves it 0). */
    public long count, correct, classified;

    public void clear() {
        rec = klS = klC = ce = total = 0;
        count = correct = classified = 0;
    }

    public void add(BatchLoss o) {
        rec += o.rec; klS += o.klS; klC += o.klC; ce += o.ce; total += o.total;
        count += o.count; correct += o.correct; classified += o.classified;
    }

    public double meanRec() { return rec / Math.max(1, count); }
    public double meanKlS() { return klS / Math.max(1, count); }
    public double meanKlC() { return klC / Math.max(1, count); }
    public double meanCe() { return ce / Math.max(1, count); }
    public double meanTotal() { return total / Math.max(1, count); }
    /** rec + KL_s + KL_c with β_c = 1: the negative ELBO given the true label. */
    public double meanNegElbo() { return (rec + klS + klC) / Math.max(1, count); }
    /** Of the predicted classes; NaN when nothing was classified (a model without a classifier). */
    public double accuracy() { return classified == 0 ? Double.NaN : (double) correct / classified; }
}
