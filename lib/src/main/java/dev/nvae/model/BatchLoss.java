package dev.nvae.model;

/**
 * Loss terms summed over examples (nats); read as means with the accessors. Mutable and reused so a
 * training step allocates nothing. For an unlabelled example (docs/MODEL.md#6-unlabelled-examples) rec and
 * klC are expectations over q(y|x) and its KL(q(y|x) ‖ p(y)) goes to klY; ce sums labelled examples only.
 */
public final class BatchLoss {
    public double rec, klS, klC, ce, klY, total;
    /**
     * classified: labelled examples the model predicted a class for (a model without a classifier leaves it
     * 0); unlabelled: examples without a label.
     */
    public long count, correct, classified, unlabelled;

    public void clear() {
        rec = klS = klC = ce = klY = total = 0;
        count = correct = classified = unlabelled = 0;
    }

    public void add(BatchLoss o) {
        rec += o.rec; klS += o.klS; klC += o.klC; ce += o.ce; klY += o.klY; total += o.total;
        count += o.count; correct += o.correct; classified += o.classified; unlabelled += o.unlabelled;
    }

    public double meanRec() { return rec / Math.max(1, count); }
    public double meanKlS() { return klS / Math.max(1, count); }
    public double meanKlC() { return klC / Math.max(1, count); }
    public double meanCe() { return ce / Math.max(1, count); }
    /** The unlabelled examples' KL(q(y|x) ‖ p(y)), summed over them and divided by all examples. */
    public double meanKlY() { return klY / Math.max(1, count); }
    public double meanTotal() { return total / Math.max(1, count); }
    /**
     * rec + KL_s + KL_c with β_c = 1: the negative ELBO given the true label; an unlabelled example adds
     * its KL(q(y|x) ‖ p(y)), making its share the bound on −log p(x).
     */
    public double meanNegElbo() { return (rec + klS + klC + klY) / Math.max(1, count); }
    /** Of the predicted classes; NaN when nothing was classified (a model without a classifier). */
    public double accuracy() { return classified == 0 ? Double.NaN : (double) correct / classified; }
}
