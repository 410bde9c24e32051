package dev.nvae.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.nvae.NvaeException;

import java.util.List;

/**
 * Everything that fixes the shape and the loss of a model (docs/MODEL.md): its latent family (the N-VAE
 * or one of its baselines) and its network architecture ({@code mlp} or {@code conv}). Dimension letters
 * used in shape comments: B batch, D input (C·H·W), H1/H2 hidden, K classes, ds/dc latents.
 *
 * <p>The baselines (VAE, β-VAE, conditional VAE) have a single latent block; it is stored as the shared
 * block ({@code ds} dimensions, {@code dc = 0}), which is what it is — one latent space for every class —
 * so per-dimension KL, traversals and aggregate-posterior statistics of the shared block apply unchanged.
 *
 * @param height,width image shape (D = channels·height·width); non-image data uses height 1, channels 1
 * @param numClasses   K, at least 2; 0 for a vae or beta-vae trained on data without labels (it has no classes)
 * @param hidden1      mlp: first hidden width (encoder D→H1→H2, decoder →H2→H1→D); conv: the dense width
 * @param hidden2      mlp: second hidden width; conv: 0 (it has one dense width)
 * @param betaC        weight of the class-latent KL (N-VAE only; 1 for the baselines)
 * @param alpha        weight of the classifier loss (N-VAE only; 0 for the baselines, which have no classifier)
 * @param beta         weight of the latent KL (β-VAE; 1 for every other model)
 * @param likelihood   {@value #BERNOULLI} or {@value #GAUSSIAN} (fixed variance sigmaX²)
 * @param sigmaX       standard deviation of the Gaussian likelihood; unused (1) for Bernoulli
 * @param binarize     {@value #BINARIZE_NONE}, {@value #BINARIZE_STATIC} or {@value #BINARIZE_DYNAMIC}: how
 *                     grey inputs become the binary data a Bernoulli likelihood is a proper density of
 * @param channels     image channels C (1 grey, 3 RGB)
 * @param convChannels conv: output channels of the two stride-2 convolutions (the decoder mirrors them);
 *                     mlp: empty
 * @param labelFree    N-VAE trained without any label (docs/MODEL.md#7-label-free-clustering): its
 *                     {@code numClasses} classes are clusters it found, not the data's classes
 * @param yKl          N-VAE, unlabelled examples: weight of KL(q(y|x) ‖ p(y)); 1 is the exact bound
 *                     (docs/MODEL.md#6-unlabelled-examples)
 * @param balance      N-VAE, unlabelled examples: weight of KL(q̄(y) ‖ p(y)), q̄ the mean of q(y|x) over a
 *                     batch's unlabelled examples; keeps classes or clusters from collapsing
 */
public record ModelConfig(String model, String arch, int height, int width, int numClasses,
                          int hidden1, int hidden2, int ds, int dc, double betaC, double alpha,
                          double beta, String likelihood, double sigmaX, String binarize, int channels,
                          List<Integer> convChannels, boolean labelFree, double yKl, double balance) {

    public static final String NVAE = "nvae";
    public static final String VAE = "vae";
    public static final String BETA_VAE = "beta-vae";
    public static final String CVAE = "cvae";
    public static final List<String> MODELS = List.of(NVAE, VAE, BETA_VAE, CVAE);
    public static final String MLP = "mlp";
    public static final String CONV = "conv";
    public static final List<String> ARCHS = List.of(MLP, CONV);
    /** The conv architecture's default channel widths. */
    public static final List<Integer> CONV_CHANNELS = List.of(32, 64);
    public static final String BERNOULLI = "bernoulli";
    public static final String GAUSSIAN = "gaussian";
    public static final String BINARIZE_NONE = "none";
    public static final String BINARIZE_STATIC = "static";
    public static final String BINARIZE_DYNAMIC = "dynamic";

    public ModelConfig {
        require(MODELS.contains(model), "--model " + NvaeException.shown(model) + ": expected one of " + String.join(", ", MODELS));
        require(ARCHS.contains(arch), "--arch " + NvaeException.shown(arch) + ": expected one of " + String.join(", ", ARCHS));
        require(height > 0 && width > 0, "input shape " + height + "x" + width + " must be positive");
        require(channels >= 1, "image channels " + channels + " must be at least 1");
        require((long) channels * height * width <= Integer.MAX_VALUE, "input shape " + channels + "x" + height + "x" + width
                + " has more than 2^31 values");
        // A vae or beta-vae reads no label, so one trained on data without labels has no classes (0); every
        // other model has a layer per class. Files from before kept 2 or more, so they read as they always did.
        require(numClasses >= 2 || numClasses == 0 && readsNoLabel(model), "number of classes " + numClasses + " must be at least 2"
                + (numClasses == 0 ? " (0, for data without labels, only for a vae or beta-vae: "
                + (NVAE.equals(model) ? "an nvae has a latent block per class" : "a " + model + " reads labels") + ")" : ""));
        convChannels = convChannels == null ? List.of() : List.copyOf(convChannels);
        if (MLP.equals(arch)) {
            require(hidden1 > 0 && hidden2 > 0, "--hidden " + hidden1 + "," + hidden2 + ": sizes must be positive");
            require(convChannels.isEmpty(), "--channels applies to --arch conv only");
        } else {
            require(height % 4 == 0 && width % 4 == 0, "--arch conv needs image sides divisible by 4 (two stride-2 "
                    + "convolutions), but the images are " + height + "x" + width);
            require(hidden2 == 0, "--arch conv has one dense width (--hidden H), got " + hidden1 + "," + hidden2);
            require(hidden1 > 0, "--hidden " + hidden1 + ": the dense width must be positive");
            require(convChannels.size() == 2 && convChannels.get(0) > 0 && convChannels.get(1) > 0,
                    "--channels " + convChannels.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                            + ": --arch conv needs two positive channel widths C1,C2");
        }
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
        requireFloat("--beta-c", betaC);
        requireFloat("--alpha", alpha);
        requireFloat("--beta", beta);
        require(BERNOULLI.equals(likelihood) || GAUSSIAN.equals(likelihood),
                "--likelihood " + likelihood + ": expected bernoulli or gaussian");
        require(sigmaX > 0 && Double.isFinite(sigmaX), "--sigma-x " + sigmaX + " must be a positive number");
        // The likelihood weighs squared errors by 1/σ² in float: past float's range that weight is infinite (every
        // loss overflows: "training diverged") or zero (nothing to reconstruct, trained without a word).
        float invVar = (float) (1 / (sigmaX * sigmaX));
        require(Float.isFinite(invVar) && invVar >= Float.MIN_NORMAL, "--sigma-x " + sigmaX
                + ": 1/sigma^2 must be a float, so sigma between about 6e-20 and 9e18");
        require(BINARIZE_NONE.equals(binarize) || BINARIZE_STATIC.equals(binarize) || BINARIZE_DYNAMIC.equals(binarize),
                "--binarize " + binarize + ": expected none, static or dynamic");
        require(BINARIZE_NONE.equals(binarize) || BERNOULLI.equals(likelihood),
                "--binarize applies to the bernoulli likelihood only");
        // The derived widths below are ints; sizes whose product or sum overflows one would make layers of
        // nonsense shapes (and a file claiming them would have the model allocate before its shapes are checked).
        long input = (long) channels * height * width;
        long classBlocks = (long) numClasses * dc;
        long heads = NVAE.equals(model) ? 2L * ds + 2 * classBlocks + numClasses : 2L * ds;
        long decoderIn = NVAE.equals(model) ? ds + classBlocks + numClasses : CVAE.equals(model) ? (long) ds + numClasses : ds;
        long encoderIn = CVAE.equals(model) ? input + (long) numClasses * (CONV.equals(arch) ? (long) height * width : 1) : input;
        require(hidden1 <= MAX_WIDTH && hidden2 <= MAX_WIDTH,
                "--hidden " + hidden1 + "," + hidden2 + ": a hidden layer may be at most " + MAX_WIDTH + " wide");
        require(convChannels.stream().allMatch(c -> c <= MAX_WIDTH), "--channels " + convChannels + ": at most " + MAX_WIDTH + " each");
        for (long w : new long[]{input, heads, decoderIn, encoderIn}) {
            if (w > MAX_WIDTH) throw new LayerTooWide(w, "input " + height + "x" + width + ", " + numClasses + " classes", ds, dc);
        }
        require(NVAE.equals(model) || !labelFree, "--labels none applies to --model nvae only (a " + model
                + " has no classes to find); train a vae on the data and cluster its latents with 'nvae cluster'");
        require(NVAE.equals(model) || (yKl == 1 && balance == 0), "--y-kl and --balance apply to --model nvae only");
        // Down to -1: a reward for confident q(y|x) no larger than the balance term's default can hold in check.
        require(yKl >= -1 && Double.isFinite(yKl), "--y-kl " + yKl + " must be a finite number >= -1");
        require(balance >= 0 && Double.isFinite(balance), "--balance " + balance + " must be a finite number >= 0");
        requireFloat("--y-kl", yKl);
        requireFloat("--balance", balance);
    }

    /**
     * A loss weight is applied in float: past float's range it is infinite there, and the first step's loss or
     * gradients were non-finite — reported as a divergence, with advice to lower --lr that could not help.
     */
    private static void requireFloat(String flag, double weight) {
        require(Float.isFinite((float) weight), flag + " " + weight + " is beyond float's range (about 3.4e38): the loss is computed in float");
    }

    /** The weights of unlabelled examples' y-terms that a model gets when nothing says otherwise: the exact bound. */
    public static final double DEFAULT_Y_KL = 1, DEFAULT_BALANCE = 0;
    /**
     * An N-VAE's α (the classifier loss's weight) when some training examples have no label and nothing says
     * otherwise — {@code nvae train}'s and the API's Training's default (docs/MODEL.md#6, "α per example"); 1, the
     * paper's, when every example has one.
     */
    public static final double SEMI_SUPERVISED_ALPHA = 10;

    /** A model trained on labels (all or some), with the exact bound for any unlabelled examples. */
    public ModelConfig(String model, String arch, int height, int width, int numClasses,
                       int hidden1, int hidden2, int ds, int dc, double betaC, double alpha,
                       double beta, String likelihood, double sigmaX, String binarize, int channels,
                       List<Integer> convChannels) {
        this(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha, beta, likelihood, sigmaX,
                binarize, channels, convChannels, false, DEFAULT_Y_KL, DEFAULT_BALANCE);
    }

    /** The widest layer a model may have: 2^24, far beyond any real one, and far from overflowing an int. */
    public static final long MAX_WIDTH = 1L << 24;

    /** An N-VAE with the reference loss options: Bernoulli likelihood on grey inputs. */
    public ModelConfig(String model, String arch, int height, int width, int numClasses,
                       int hidden1, int hidden2, int ds, int dc, double betaC, double alpha) {
        this(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha, 1, BERNOULLI, 1, BINARIZE_NONE);
    }

    /** A model of grey images (one channel) with no convolutions: the form of every file before --arch conv. */
    public ModelConfig(String model, String arch, int height, int width, int numClasses, int hidden1, int hidden2,
                       int ds, int dc, double betaC, double alpha, double beta, String likelihood, double sigmaX,
                       String binarize) {
        this(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha, beta, likelihood, sigmaX,
                binarize, 1, List.of());
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

    /** The same family, latents and loss on another network: {@code mlp} with hidden widths H1,H2, or
     * {@code conv} with dense width {@code hidden[0]} and two convolutions of {@code convChannels}. */
    public ModelConfig withArchitecture(String arch, int[] hidden, List<Integer> convChannels) {
        boolean conv = CONV.equals(arch);
        require(hidden.length == (conv ? 1 : 2), conv ? "--hidden: --arch conv takes one dense width H"
                : "--hidden: expected two sizes H1,H2, got " + hidden.length);
        return new ModelConfig(model, arch, height, width, numClasses, hidden[0], conv ? 0 : hidden[1], ds, dc, betaC,
                alpha, beta, likelihood, sigmaX, binarize, channels, conv ? convChannels : List.of(), labelFree, yKl, balance);
    }

    /** The same model on images of {@code channels} channels. */
    public ModelConfig withChannels(int channels) {
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha, beta,
                likelihood, sigmaX, binarize, channels, convChannels, labelFree, yKl, balance);
    }

    /**
     * A layer wider than {@link #MAX_WIDTH}, from sizes whose product or sum is too large; the message names the latent
     * sizes as the CLI's ds and dc, and a caller with other names for them (the API's latents) says it from the parts.
     *
     * @param width the layer's width
     * @param data  the input and classes: "input 28x28, 10 classes"
     */
    public static final class LayerTooWide extends NvaeException {
        private final long width;
        private final String data;

        LayerTooWide(long width, String data, int ds, int dc) {
            super("a layer of this model would be " + width + " wide, more than " + MAX_WIDTH + " (" + data + ", ds " + ds + ", dc " + dc + ")");
            this.width = width;
            this.data = data;
        }

        /** "would make a layer W wide, more than MAX (input 28x28, 10 classes)": the refusal without the sizes' names. */
        public String reason() {
            return "would make a layer " + width + " wide, more than " + MAX_WIDTH + " (" + data + ")";
        }
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

    /** Whether a {@code model} family never reads a label: the VAE and the β-VAE. */
    public static boolean readsNoLabel(String model) {
        return VAE.equals(model) || BETA_VAE.equals(model);
    }

    /**
     * The labels a decoded example of this model may carry, 0 … n − 1: its classes; for a vae or beta-vae of none,
     * the one label 0, which it never reads (its samples and traversals are unlabelled).
     */
    public int decodableLabels() {
        return Math.max(1, numClasses);
    }

    /**
     * Whether data whose labels name {@code dataClasses} classes holds a class this model does not have. A label-free
     * model's classes are its clusters, and a vae or beta-vae reads no label, whatever it was trained on: neither
     * compares the data's with its own.
     */
    public boolean lacksClassesOf(int dataClasses) {
        return isConditional() && !labelFree && dataClasses > numClasses;
    }

    /** A vae or beta-vae trained on data without labels: it has no classes, not even names for them. */
    @JsonIgnore
    public boolean classless() {
        return numClasses == 0;
    }

    /** True when the model has a classifier head q(y|x) (accuracy is defined). */
    @JsonIgnore
    public boolean hasClassifier() {
        return NVAE.equals(model);
    }

    public int inputDim() {
        return channels * height * width;
    }

    @JsonIgnore
    public boolean isConv() {
        return CONV.equals(arch);
    }

    /**
     * Values per label column of the conditional VAE's encoder input: the mlp reads onehot(y) as K columns
     * (1 each), the conv network as K constant image planes (H·W each) after the image's own channels.
     */
    public int labelInputPositions() {
        return isConv() ? height * width : 1;
    }

    /** Columns fed to the encoder: x, or [x | onehot(y) per {@link #labelInputPositions()}] for the conditional VAE. */
    public int encoderInputDim() {
        return CVAE.equals(model) ? inputDim() + numClasses * labelInputPositions() : inputDim();
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
                beta, likelihood, sigmaX, binarize, channels, convChannels, labelFree, yKl, balance);
    }

    /** The same model with the weights of its unlabelled examples' y-terms (docs/MODEL.md#6-unlabelled-examples). */
    public ModelConfig withUnlabelledTerms(double yKl, double balance) {
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha,
                beta, likelihood, sigmaX, binarize, channels, convChannels, labelFree, yKl, balance);
    }

    /** The class names of a label-free model of {@code k} clusters: "cluster 0" .. "cluster k−1". */
    public static List<String> clusterNames(int k) {
        return java.util.stream.IntStream.range(0, k).mapToObj(i -> "cluster " + i).toList();
    }

    /** The same model trained without labels: its classes are {@code clusters} clusters it finds. */
    public ModelConfig asLabelFree(int clusters) {
        return new ModelConfig(model, arch, height, width, clusters, hidden1, hidden2, ds, dc, betaC, alpha,
                beta, likelihood, sigmaX, binarize, channels, convChannels, true, yKl, balance);
    }

    /** The same model with another likelihood and binarization. */
    public ModelConfig withLikelihood(String likelihood, double sigmaX, String binarize) {
        return new ModelConfig(model, arch, height, width, numClasses, hidden1, hidden2, ds, dc, betaC, alpha,
                beta, likelihood, sigmaX, binarize, channels, convChannels, labelFree, yKl, balance);
    }

    /**
     * The settings in which this config and {@code other} differ, by name ("balance 2.0 here, 5.0 there; ...");
     * empty when they are equal. For messages: a config printed whole is a wall of every setting.
     */
    public String differencesFrom(ModelConfig other) {
        List<String> d = new java.util.ArrayList<>();
        for (java.lang.reflect.RecordComponent rc : ModelConfig.class.getRecordComponents()) {
            try {
                Object here = rc.getAccessor().invoke(this), there = rc.getAccessor().invoke(other);
                if (!java.util.Objects.equals(here, there)) d.add(rc.getName() + " " + here + " here, " + there + " there");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e); // a record's own public accessors
            }
        }
        return String.join("; ", d);
    }
}
