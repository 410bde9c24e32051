package dev.nvae.backend;

/**
 * What a backend's {@link LatentKernels} need to know of a latent family, in numbers: every family's heads
 * are [μ_s (ds) | logσ²_s (ds) | μ_c (K·dc) | logσ²_c (K·dc) | logits (K), if it has a classifier] and its
 * decoder input [z_s | E(y, z_c) (K·dc) | onehot(y) (K), if the decoder reads the class]. The N-VAE fills
 * every part; a baseline VAE is dc = 0 without logits, a conditional VAE adds the decoder's one-hot and an
 * encoder input [x | onehot(y), each class column repeated {@code encoderLabelPositions} times].
 *
 * <p>The loss weights are the training loss's: KL_s, KL_c and the cross-entropy −log q(y|x) of a labelled
 * example; KL(q(y|x) ‖ uniform) of an unlabelled one and the batch's balance term (the N-VAE). The likelihood
 * is Bernoulli with logits, or Gaussian (mean, fixed variance 1/invVar), whose −log p(x|z) adds
 * {@code gaussianConstant} = ½·log(2πσ²) per value.
 */
public record LatentLayout(int ds, int dc, int classes, boolean classifier, boolean decoderReadsClass,
                           int encoderLabelPositions, float klSWeight, float klCWeight, float ceWeight,
                           float yKlWeight, float balanceWeight,
                           boolean gaussian, float invVar, double gaussianConstant) {
    public LatentLayout {
        if (ds < 1 || dc < 0 || classes < 1 || encoderLabelPositions < 0) {
            throw new IllegalArgumentException("latent layout: ds " + ds + ", dc " + dc + ", classes " + classes
                    + ", label positions " + encoderLabelPositions);
        }
    }

    /** Whether anything reads an example's label: a class block, the classifier or a one-hot (not a plain VAE). */
    public boolean readsLabels() {
        return dc > 0 || classifier || decoderReadsClass || encoderLabelPositions > 0;
    }

    /** The first column of the class logits (a family with a classifier). */
    public int logitsCol() {
        return 2 * ds + 2 * classes * dc;
    }

    /** Columns of the heads. */
    public int headsCols() {
        return 2 * ds + 2 * classes * dc + (classifier ? classes : 0);
    }

    /** Columns of the decoder input. */
    public int decoderCols() {
        return ds + classes * dc + (decoderReadsClass ? classes : 0);
    }

    /** Columns of the noise: ε_s then ε_c. */
    public int noiseCols() {
        return ds + dc;
    }
}
