package dev.nvae.analysis;

import dev.nvae.model.Categorical;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.tensor.Tensor;

/**
 * The class an analysis files an example under, decodes it as, or reads its own latent block of: its
 * label — or, for a label-free N-VAE (whose classes are clusters, docs/MODEL.md#7-label-free-clustering)
 * and for an example without a label, the class the model gives it, argmax q(y|x). A baseline keeps the
 * labels as they are (a VAE reads none; a conditional VAE needs them).
 */
final class ExampleClasses {
    private ExampleClasses() {
    }

    /** Rewrites ws.labels[0..count) in place; ws.heads must hold the batch's encodings. */
    static void resolve(ModelConfig c, Workspace ws, int count) {
        if (!c.hasClassifier()) return;
        for (int i = 0; i < count; i++) {
            if (c.labelFree() || ws.labels[i] < 0) ws.labels[i] = argmax(c, ws.heads, i);
        }
    }

    /** The model's class (or cluster) of example i: the largest of its logits, the first on a tie. */
    static int argmax(ModelConfig c, Tensor h, int i) {
        return Categorical.argmax(h, i, c.logits(), c.numClasses());
    }

    /** For a pass of the bound: a label-free model sees no label (−1) even where the data has one. */
    static void hideForLabelFree(ModelConfig c, Workspace ws, int count) {
        if (c.labelFree()) java.util.Arrays.fill(ws.labels, 0, count, -1);
    }
}
