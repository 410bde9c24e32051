package dev.nvae.model;

/**
 * Loss terms summed over examples (nats); read as means with the accessors. Mutable and reused so a
 * training step allocates nothing.
 */
public final class BatchLoss {
    public double rec, klS, klC, ce, total;
    public long count, correct;

    public void clear() {
        rec = klS = klC = ce = total = 0;
        count = correct = 0;
    }

    public void add(BatchLoss o) {
        rec += o.rec; klS += o.klS; klC += o.klC; ce += o.ce; total += o.total;
        count += o.count; correct += o.correct;
    }

    public double meanRec() { return rec / Math.max(1, count); }
    public double meanKlS() { return klS / Math.max(1, count); }
    public double meanKlC() { return klC / Math.max(1, count); }
    public double meanCe() { return ce / Math.max(1, count); }
    public double meanTotal() { return total / Math.max(1, count); }
    /** rec + KL_s + KL_c with β_c = 1: the negative ELBO given the true label. */
    public double meanNegElbo() { return (rec + klS + klC) / Math.max(1, count); }
    public double accuracy() { return (double) correct / Math.max(1, count); }
}
