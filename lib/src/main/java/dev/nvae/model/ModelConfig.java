package dev.nvae.model;

import dev.nvae.NvaeException;

/**
 * Everything that fixes the shape and the loss of an {@code mlp} N-VAE (DESIGN.md §1–2).
 * Dimension letters used in shape comments: B batch, D input, H1/H2 hidden, K classes, ds/dc latents.
 *
 * @param height,width image shape (D = height·width); non-image data uses height 1
 */
public record ModelConfig(String model, String arch, int height, int width, int numClasses,
                          int hidden1, int hidden2, int ds, int dc, double betaC, double alpha) {

    public static final String NVAE = "nvae";
    public static final String MLP = "mlp";

    public ModelConfig {
        require(NVAE.equals(model), "--model " + model + ": only 'nvae' is implemented");
        require(MLP.equals(arch), "--arch " + arch + ": only 'mlp' is implemented");
        require(height > 0 && width > 0, "input shape " + height + "x" + width + " must be positive");
        require(numClasses >= 2, "number of classes " + numClasses + " must be at least 2");
        require(hidden1 > 0 && hidden2 > 0, "hidden sizes must be positive");
        require(ds >= 1, "--ds " + ds + " must be at least 1");
        require(dc >= 1, "--dc " + dc + " must be at least 1");
        require(betaC >= 0 && Double.isFinite(betaC), "--beta-c " + betaC + " must be a finite number >= 0");
        require(alpha >= 0 && Double.isFinite(alpha), "--alpha " + alpha + " must be a finite number >= 0");
    }

    /** The reference architecture: D→512→256 encoder, 256→512→D decoder. */
    public static ModelConfig mlp(int height, int width, int numClasses, int ds, int dc, double betaC, double alpha) {
        return new ModelConfig(NVAE, MLP, height, width, numClasses, 512, 256, ds, dc, betaC, alpha);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new NvaeException(message);
    }

    public int inputDim() {
        return height * width;
    }

    /** Columns of the heads layer: [μ_s | logσ²_s | μ_c (K·dc) | logσ²_c (K·dc) | class logits (K)]. */
    public int headsDim() {
        return 2 * ds + 2 * numClasses * dc + numClasses;
    }

    /** Columns of the decoder input: [z_s | E(y, z_c) (K·dc) | onehot(y) (K)]. */
    public int decoderInputDim() {
        return ds + numClasses * dc + numClasses;
    }

    public int muS() {
        return 0;
    }

    public int logvarS() {
        return ds;
    }

    /** First column of class k's mean block in the heads. */
    public int muC(int k) {
        return 2 * ds + k * dc;
    }

    public int logvarC(int k) {
        return 2 * ds + numClasses * dc + k * dc;
    }

    public int logits() {
        return 2 * ds + 2 * numClasses * dc;
    }

    /** Latent width of one example: the shared block plus one class block. */
    public int latentDim() {
        return ds + dc;
    }

    public ModelConfig withLoss(double betaC, double alpha) {
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha);
    }
}
