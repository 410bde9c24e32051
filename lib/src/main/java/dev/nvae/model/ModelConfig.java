package dev.nvae.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.nvae.NvaeException;

import java.util.List;

/**
 * Everything that fixes the shape and the loss of an {@code mlp} model (docs/MODEL.md): the N-VAE or
 * one of its baselines. Dimension letters used in shape comments: B batch, D input, H1/H2 hidden,
 * K classes, ds/dc latents.
 *
 * <p>The baselines (VAE, β-VAE, conditional VAE) have a single latent block; it is stored as the shared
 * block ({@code ds} dimensions, {@code dc = 0}), which is what it is — one latent space for every class —
 * so per-dimension KL, traversals and aggregate-posterior statistics of the shared block apply unchanged.
 *
 * @param height,width image shape (D = height·width); non-image data uses height 1
 * @param betaC        weight of the class-latent KL (N-VAE only; 1 for the baselines)
 * @param alpha        weight of the classifier loss (N-VAE only; 0 for the baselines, which have no classifier)
 * @param beta         weight of the latent KL (β-VAE; 1 for every other model)
 * @param likelihood   {@value #BERNOULLI} or {@value #GAUSSIAN} (fixed variance sigmaX²)
 * @param sigmaX       standard deviation of the Gaussian likelihood; unused (1) for Bernoulli
 * @param binarize     {@value #BINARIZE_NONE}, {@value #BINARIZE_STATIC} or {@value #BINARIZE_DYNAMIC}: how
 *                     grey inputs become the binary data a Bernoulli likelihood is a proper density of
 */
public record ModelConfig(String model, String arch, int height, int width, int numClasses,
                          int hidden1, int hidden2, int ds, int dc, double betaC, double alpha,
                          double beta, String likelihood, double sigmaX, String binarize) {

    public static final String NVAE = "nvae";
    public static final String VAE = "vae";
    public static final String BETA_VAE = "beta-vae";
    public static final String CVAE = "cvae";
    public static final List<String> MODELS = List.of(NVAE, VAE, BETA_VAE, CVAE);
    public static final String MLP = "mlp";
    public static final String BERNOULLI = "bernoulli";
    public static final String GAUSSIAN = "gaussian";
    public static final String BINARIZE_NONE = "none";
    public static final String BINARIZE_STATIC = "static";
    public static final String BINARIZE_DYNAMIC = "dynamic";

    public ModelConfig {
        require(MODELS.contains(model), "--model " + model + ": expected one of " + String.join(", ", MODELS));
        require(MLP.equals(arch), "--arch " + arch + ": only 'mlp' is implemented");
        require(height > 0 && width > 0, "input shape " + height + "x" + width + " must be positive");
        require(numClasses >= 2, "number of classes " + numClasses + " must be at least 2");
        require(hidden1 > 0 && hidden2 > 0, "hidden sizes must be positive");
        if (NVAE.equals(model)) {
            require(ds >= 1, "--ds " + ds + " must be at least 1");
            require(dc >= 1, "--dc " + dc + " must be at least 1");
            require(beta == 1, "--beta applies to --model beta-vae only");
        } else {
            require(ds >= 1, "--dz " + ds + " must be at least 1");
            require(dc == 0, "--dc applies to --model nvae only: a " + model + " has one latent block (--dz)");
            require(betaC == 1, "--beta-c applies to --model nvae only");
            require(alpha == 0, "--alpha applies to --model nvae only: a " + model + " has no classifier");
            require(BETA_VAE.equals(model) || beta == 1, "--beta applies to --model beta-vae only");
        }
        require(betaC >= 0 && Double.isFinite(betaC), "--beta-c " + betaC + " must be a finite number >= 0");
        require(alpha >= 0 && Double.isFinite(alpha), "--alpha " + alpha + " must be a finite number >= 0");
        require(beta >= 0 && Double.isFinite(beta), "--beta " + beta + " must be a finite number >= 0");
        require(BERNOULLI.equals(likelihood) || GAUSSIAN.equals(likelihood),
                "--likelihood " + likelihood + ": expected bernoulli or gaussian");
        require(sigmaX > 0 && Double.isFinite(sigmaX), "--sigma-x " + sigmaX + " must be a positive number");
        require(BINARIZE_NONE.equals(binarize) || BINARIZE_STATIC.equals(binarize) || BINARIZE_DYNAMIC.equals(binarize),
                "--binarize " + binarize + ": expected none, static or dynamic");
        require(BINARIZE_NONE.equals(binarize) || BERNOULLI.equals(likelihood),
                "--binarize applies to the bernoulli likelihood only");
    }

    /** An N-VAE with the reference loss options: Bernoulli likelihood on grey inputs. */
    public ModelConfig(String model, String arch, int height, int width, int numClasses,
                       int hidden1, int hidden2, int ds, int dc, double betaC, double alpha) {
        this(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha, 1, BERNOULLI, 1, BINARIZE_NONE);
    }

    /** The reference architecture: D→512→256 encoder, 256→512→D decoder. */
    public static ModelConfig mlp(int height, int width, int numClasses, int ds, int dc, double betaC, double alpha) {
        return new ModelConfig(NVAE, MLP, height, width, numClasses, 512, 256, ds, dc, betaC, alpha);
    }

    /** A baseline ({@code vae}, {@code beta-vae}, {@code cvae}) with {@code dz} latent dimensions. */
    public static ModelConfig baseline(String model, int height, int width, int numClasses, int hidden1, int hidden2,
                                       int dz, double beta) {
        require(!NVAE.equals(model), "baseline() is for vae, beta-vae and cvae");
        return new ModelConfig(model, MLP, height, width, numClasses, hidden1, hidden2, dz, 0, 1, 0, beta,
                BERNOULLI, 1, BINARIZE_NONE);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new NvaeException(message);
    }

    @JsonIgnore // derived from model; Jackson would otherwise write it as a property
    public boolean isNvae() {
        return NVAE.equals(model);
    }

    /** True when the model sees the label: the N-VAE's decoder and both networks of the conditional VAE. */
    @JsonIgnore
    public boolean isConditional() {
        return NVAE.equals(model) || CVAE.equals(model);
    }

    /** True when the model has a classifier head q(y|x) (accuracy is defined). */
    @JsonIgnore
    public boolean hasClassifier() {
        return NVAE.equals(model);
    }

    public int inputDim() {
        return height * width;
    }

    /** Columns fed to the encoder: x, or [x | onehot(y)] for the conditional VAE. */
    public int encoderInputDim() {
        return CVAE.equals(model) ? inputDim() + numClasses : inputDim();
    }

    /**
     * Columns of the heads layer: [μ_s | logσ²_s | μ_c (K·dc) | logσ²_c (K·dc) | class logits (K)] for the
     * N-VAE, [μ | logσ²] for the baselines.
     */
    public int headsDim() {
        return isNvae() ? 2 * ds + 2 * numClasses * dc + numClasses : 2 * ds;
    }

    /** Columns of the decoder input: [z_s | E(y, z_c) (K·dc) | onehot(y) (K)], [z] or [z | onehot(y)]. */
    public int decoderInputDim() {
        if (isNvae()) return ds + numClasses * dc + numClasses;
        return CVAE.equals(model) ? ds + numClasses : ds;
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
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha,
                beta, likelihood, sigmaX, binarize);
    }

    /** The same model with another likelihood and binarization. */
    public ModelConfig withLikelihood(String likelihood, double sigmaX, String binarize) {
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha,
                beta, likelihood, sigmaX, binarize);
    }
}
