package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.stream.Stream;

/**
 * The options of {@code train} that choose the model: family, architecture, latent sizes, loss weights,
 * likelihood. Each family has its own options; giving one to a family it means nothing to (--dc to a VAE,
 * --beta to an N-VAE) is refused with a one-line reason rather than silently ignored.
 */
final class ModelFlags {
    static final int DEFAULT_DS = 8, DEFAULT_DC = 4;
    /** A baseline's default width: the N-VAE's per-example latent ds + dc, so they compare like for like. */
    static final int DEFAULT_DZ = DEFAULT_DS + DEFAULT_DC;
    static final double DEFAULT_BETA = 4;
    static final double DEFAULT_SIGMA_X = 0.1;
    /**
     * The unlabelled terms' weights (docs/MODEL.md#6 and #7): with some labels the exact bound; without any,
     * the per-example KL(q(y|x) ‖ p(y)) — which, as a cost, favours a q(y|x) that says nothing about x — is
     * turned into a reward for confident assignments, and the batch's balance term keeps the clusters apart:
     * together the mutual information between x and its cluster.
     */
    static final double SEMI_Y_KL = ModelConfig.DEFAULT_Y_KL, SEMI_BALANCE = ModelConfig.DEFAULT_BALANCE;
    static final double LABEL_FREE_Y_KL = -0.5, LABEL_FREE_BALANCE = 5;
    /**
     * Label-free latent sizes (docs/MODEL.md#7): a shared block of 8 dimensions reconstructs so well that the
     * clusters need not mean anything (test ACC 0.29 on Fashion-MNIST); with one shared dimension the
     * clusters' own blocks and the decoder's one-hot must carry the content, so y becomes the kind of garment.
     * Four dimensions per cluster rather than 8: a cluster's own block cannot then hold a second kind of
     * garment, and runs over seeds agree (ACC 0.576–0.607 against 0.531–0.624 with 8, seeds 0–4).
     */
    static final int LABEL_FREE_DS = 1, LABEL_FREE_DC = 4;
    /** α when labelled examples are few among unlabelled ones (docs/MODEL.md#6, "α per example"). */
    static final double SEMI_ALPHA = ModelConfig.SEMI_SUPERVISED_ALPHA;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = ModelConfig.NVAE,
            description = "Model family: nvae, or a baseline: vae, beta-vae, cvae (conditional VAE). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = ModelConfig.MLP,
            description = "Network: mlp (dense layers) or conv (two stride-2 convolutions and their transposes; images "
                    + "with sides divisible by 4). Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--hidden", paramLabel = "H1,H2", split = ",", hideParamSyntax = true,
            description = "Dense widths: mlp H1,H2 (default 512,256); conv one width H (default 256).")
    int[] hidden;

    @Option(names = "--channels", paramLabel = "C1,C2", split = ",", hideParamSyntax = true,
            description = "conv: output channels of the two convolutions (the decoder mirrors them). Default: 32,64.")
    List<Integer> channels;

    @Option(names = "--ds", paramLabel = "N", description = "nvae: shared latent dimensions. Default: " + DEFAULT_DS + "; " + LABEL_FREE_DS + " with --labels none.")
    Integer ds;

    @Option(names = "--dc", paramLabel = "N", description = "nvae: latent dimensions per class (per cluster with --labels none). "
            + "Default: " + DEFAULT_DC + (DEFAULT_DC == LABEL_FREE_DC ? ", with or without labels." : "; " + LABEL_FREE_DC + " with --labels none."))
    Integer dc;

    @Option(names = "--beta-c", paramLabel = "B", description = "nvae: weight of the class-latent KL; > 1 collapses unused class dimensions. Default: 1.")
    Double betaC;

    @Option(names = "--alpha", paramLabel = "A", description = "nvae with labels: weight of the classifier loss per labelled example. "
            + "Default: 1 (the paper's), or " + SEMI_ALPHA + " when some training examples have no label (see docs/MODEL.md#6).")
    Double alpha;

    @Option(names = "--y-kl", paramLabel = "W",
            description = "nvae, unlabelled examples (refused for data that has every label): the weight of KL(q(y|x) || p(y)); 1 is the exact bound, "
                    + "a negative weight (down to -1) rewards confident q(y|x). Default: "
                    + SEMI_Y_KL + " with some labels, " + LABEL_FREE_Y_KL + " with --labels none.")
    Double yKl;

    @Option(names = "--balance", paramLabel = "L",
            description = "nvae, unlabelled examples (refused for data that has every label): the weight of KL(mean of q(y|x) over a batch "
                    + "|| p(y)), which keeps classes or "
                    + "clusters from collapsing into few. Default: " + SEMI_BALANCE + " with some labels, " + LABEL_FREE_BALANCE
                    + " with --labels none.")
    Double balance;

    @Option(names = "--dz", paramLabel = "N", description = "vae, beta-vae, cvae: latent dimensions. Default: " + DEFAULT_DZ + " (nvae's ds+dc).")
    Integer dz;

    @Option(names = "--beta", paramLabel = "B", description = "beta-vae: weight of the KL. Default: " + DEFAULT_BETA + ".")
    Double beta;

    @Option(names = "--likelihood", paramLabel = "L", defaultValue = ModelConfig.BERNOULLI,
            description = "bernoulli (images) or gaussian (fixed variance, for non-image data; values in [0, 1] either way). Default: ${DEFAULT-VALUE}.")
    String likelihood;

    @Option(names = "--sigma-x", paramLabel = "S", description = "gaussian: standard deviation of p(x|z). Default: " + DEFAULT_SIGMA_X + ".")
    Double sigmaX;

    @Option(names = "--binarize", paramLabel = "MODE", defaultValue = ModelConfig.BINARIZE_NONE,
            description = "bernoulli: none (grey targets), static (binarize once) or dynamic (re-draw every batch); "
                    + "a binarized model is evaluated on binary test data, so iwae_nll is a proper likelihood. Default: ${DEFAULT-VALUE}.")
    String binarize;

    /**
     * Refuses an unknown family and options that do not apply to it, {@code --labels none} ({@code labelFree}) among
     * them; cheap, so it runs before any data is read.
     */
    void check(boolean labelFree) {
        if (!ModelConfig.MODELS.contains(model)) {
            throw new NvaeException("--model " + NvaeException.shown(model) + ": expected one of " + String.join(", ", ModelConfig.MODELS));
        }
        if (!ModelConfig.ARCHS.contains(arch)) {
            throw new NvaeException("--arch " + NvaeException.shown(arch) + ": expected one of " + String.join(", ", ModelConfig.ARCHS));
        }
        boolean conv = ModelConfig.CONV.equals(arch);
        if (hidden != null && hidden.length != (conv ? 1 : 2)) {
            throw new NvaeException(conv ? "--hidden: --arch conv has one dense width H, got " + hidden.length + " sizes"
                    : "--hidden: expected two sizes H1,H2, got " + hidden.length);
        }
        if (channels != null && !conv) throw new NvaeException("--channels applies to --arch conv only");
        boolean nvae = ModelConfig.NVAE.equals(model);
        // Before the data is read: its count of clusters (--clusters K) and its labels are asked after that.
        if (labelFree && !nvae) {
            throw new NvaeException("--labels none applies to --model nvae only (" + (ModelConfig.readsNoLabel(model) ? "a " + model
                    + " reads no label anyway; cluster its latents with 'nvae cluster'" : "a cvae encodes and decodes with every example's label") + ")");
        }
        for (String flag : List.of("--ds", "--dc", "--beta-c", "--alpha", "--y-kl", "--balance")) {
            if (!nvae && given(flag)) {
                throw new NvaeException(flag + " applies to --model nvae only; a " + model + " has one latent block of --dz dimensions");
            }
        }
        // A vae or beta-vae reads no label, and its batches are not mixed by one (Trainable#readsLabels): keeping some
        // labels or a labelled share would change nothing it learns. A cvae reads every label, which its own check says once the data is read.
        boolean readsNoLabel = ModelConfig.readsNoLabel(model);
        for (String flag : List.of("--labels-per-class", "--labels-fraction", "--labelled-share")) {
            if (readsNoLabel && given(flag)) {
                throw new NvaeException(flag + " applies to --model nvae only; a " + model + " reads no label, so it would change nothing it learns");
            }
        }
        if (nvae && given("--dz")) throw new NvaeException("--dz applies to the baselines (vae, beta-vae, cvae); an nvae has --ds and --dc");
        if (given("--beta") && !ModelConfig.BETA_VAE.equals(model)) {
            throw new NvaeException("--beta applies to --model beta-vae only" + (nvae ? " (an nvae weights its class KL by --beta-c)" : ""));
        }
        if (given("--sigma-x") && !ModelConfig.GAUSSIAN.equals(likelihood)) {
            throw new NvaeException("--sigma-x applies to --likelihood gaussian only");
        }
    }

    /**
     * The config for {@code train}'s data as training sees it ({@link LabelOptions#apply}): a label-free run's
     * data has no label and its clusters as classes.
     */
    ModelConfig config(Dataset train, boolean labelFree) {
        ModelConfig c = config(train, labelFree, labelFree ? LABEL_FREE_DS : DEFAULT_DS, labelFree ? LABEL_FREE_DC : DEFAULT_DC);
        if (ModelConfig.CVAE.equals(c.model()) && !train.fullyLabelled()) {
            // Labels a selection flag dropped are its doing, not the data's: --data may have them all.
            String selection = Stream.of("--labels-per-class", "--labels-fraction").filter(this::given).findFirst().orElse(null);
            if (selection != null) {
                throw new NvaeException(selection + " " + command.commandLine().getParseResult().matchedOption(selection).stringValues().getFirst()
                        + ": leaves " + (train.count() - train.labelledCount()) + " of " + train.count() + " training examples without a"
                        + " label, and a cvae needs a label for every example (its encoder and decoder read it)");
            }
            throw new NvaeException("--data: " + (train.count() - train.labelledCount()) + " of " + train.count()
                    + " training examples have no label, and a cvae needs a label for every example (its encoder and decoder read it)");
        }
        if (!c.isNvae()) return c;
        // Classes named (classes.txt) but never labelled: the classifier and the class blocks would learn nothing of them.
        if (!labelFree && train.labelledCount() == 0) {
            throw new NvaeException("--data: none of the " + train.count() + " training examples of " + train.name() + " has a label, and an "
                    + "nvae learns its classes from labelled ones; --labels none trains it without labels, as K clusters (--clusters K)");
        }
        // Weights of terms this data has none of would be written into the model's config and weigh nothing.
        if (labelFree && given("--alpha")) {
            throw new NvaeException("--alpha weighs the classifier loss of labelled examples; --labels none has none");
        }
        for (String flag : List.of("--y-kl", "--balance")) {
            if (!labelFree && train.fullyLabelled() && given(flag)) {
                throw new NvaeException(flag + " weighs terms of unlabelled examples; all " + train.count() + " training examples of "
                        + train.name() + " have a label (--labels-per-class or --labels-fraction keep fewer)");
            }
        }
        if (alpha == null && !labelFree && !train.fullyLabelled()) c = c.withLoss(c.betaC(), SEMI_ALPHA);
        c = c.withUnlabelledTerms(or(yKl, labelFree ? LABEL_FREE_Y_KL : SEMI_Y_KL), or(balance, labelFree ? LABEL_FREE_BALANCE : SEMI_BALANCE));
        return labelFree ? c.asLabelFree(train.numClasses()) : c;
    }

    /** The config for {@code train}'s data. */
    ModelConfig config(Dataset train) {
        return config(train, false, DEFAULT_DS, DEFAULT_DC);
    }

    private ModelConfig config(Dataset train, boolean labelFree, int defaultDs, int defaultDc) {
        check(labelFree);

        boolean nvae = ModelConfig.NVAE.equals(model);
        ModelConfig c;
        if (nvae) {
            c = new ModelConfig(model, ModelConfig.MLP, train.height(), train.width(), train.numClasses(), 512, 256,
                    or(ds, defaultDs), or(dc, defaultDc), or(betaC, 1.0), or(alpha, 1.0));
        } else {
            c = ModelConfig.baseline(model, train.height(), train.width(), train.numClasses(), 512, 256,
                    or(dz, DEFAULT_DZ), ModelConfig.BETA_VAE.equals(model) ? or(beta, DEFAULT_BETA) : 1);
        }
        boolean conv = ModelConfig.CONV.equals(arch);
        int[] widths = hidden != null ? hidden : conv ? new int[]{256} : new int[]{512, 256};
        return c.withLikelihood(likelihood, ModelConfig.GAUSSIAN.equals(likelihood) ? or(sigmaX, DEFAULT_SIGMA_X) : 1, binarize)
                .withChannels(train.channels())
                .withArchitecture(arch, widths, or(channels, ModelConfig.CONV_CHANNELS));
    }

    /**
     * On --resume the model is the checkpoint's: every model flag the user gave must apply to its family,
     * architecture and likelihood, and name what it was trained with (--hidden as both sizes; --dz is a
     * baseline's single block, stored as ds).
     */
    void requireAgreement(ModelConfig stored, String checkpoint) {
        agree("--model", model, stored.model(), checkpoint);
        agree("--arch", arch, stored.arch(), checkpoint);
        requireApplies(stored, checkpoint);
        if (given("--hidden")) {
            String stored2 = stored.isConv() ? "" : "," + stored.hidden2();
            requireEqual("--hidden", hidden[0] + (hidden.length > 1 ? "," + hidden[1] : ""), stored.hidden1() + stored2, checkpoint);
        }
        agree("--channels", channels, stored.convChannels(), checkpoint);
        agree("--ds", ds, stored.ds(), checkpoint);
        agree("--dc", dc, stored.dc(), checkpoint);
        agree("--beta-c", betaC, stored.betaC(), checkpoint);
        agree("--alpha", alpha, stored.alpha(), checkpoint);
        agree("--y-kl", yKl, stored.yKl(), checkpoint);
        agree("--balance", balance, stored.balance(), checkpoint);
        agree("--dz", dz, stored.ds(), checkpoint);
        agree("--beta", beta, stored.beta(), checkpoint);
        agree("--likelihood", likelihood, stored.likelihood(), checkpoint);
        agree("--sigma-x", sigmaX, stored.sigmaX(), checkpoint);
        agree("--binarize", binarize, stored.binarize(), checkpoint);
    }

    /**
     * A flag of another family, architecture or likelihood than the checkpoint's run is refused for that, as
     * {@link #check} refuses it for a new run: compared with the run's own settings it was told it "was trained
     * with --dz 8" (an nvae's --ds) or "with --beta 1.0" (a weight only a beta-vae has), and a value that happened
     * to match was taken.
     */
    private void requireApplies(ModelConfig stored, String checkpoint) {
        String run = article(stored.model()) + " " + stored.model();
        if (!stored.isNvae()) {
            for (String flag : List.of("--ds", "--dc", "--beta-c", "--alpha", "--y-kl", "--balance")) {
                notApplying(flag, "--model nvae only", run + " (one latent block of --dz " + stored.ds() + " dimensions)", checkpoint);
            }
        } else {
            notApplying("--dz", "the baselines (vae, beta-vae, cvae)", run + " (--ds " + stored.ds() + ", --dc " + stored.dc() + ")", checkpoint);
            if (stored.labelFree()) {
                notApplying("--alpha", "an nvae with labels (it weighs the classifier loss of labelled examples)",
                        "a label-free " + stored.model() + " (--labels none)", checkpoint);
            }
        }
        if (!ModelConfig.BETA_VAE.equals(stored.model())) notApplying("--beta", "--model beta-vae only", run, checkpoint);
        if (!ModelConfig.GAUSSIAN.equals(stored.likelihood())) {
            notApplying("--sigma-x", "--likelihood gaussian only", run + " with --likelihood " + stored.likelihood(), checkpoint);
        }
        if (!stored.isConv()) notApplying("--channels", "--arch conv only", run + " with --arch " + stored.arch(), checkpoint);
    }

    /** Refuses {@code flag}, if given, as applying to {@code appliesTo} where the checkpoint's run is {@code run}. */
    private void notApplying(String flag, String appliesTo, String run, String checkpoint) {
        if (given(flag)) {
            Object value = command.findOption(flag).getValue();
            throw new NvaeException(flag + " " + shown(value) + " does not apply to the run of the checkpoint " + checkpoint + ": "
                    + flag + " applies to " + appliesTo + ", and that run is " + run + "; omit " + flag + " to continue the run as it was");
        }
    }

    private static String article(String model) {
        return ModelConfig.NVAE.equals(model) ? "an" : "a"; // an nvae; a vae, a beta-vae, a cvae
    }

    private void agree(String flag, Object given, Object stored, String checkpoint) {
        if (given(flag)) requireEqual(flag, given, stored, checkpoint);
    }

    static void requireEqual(String flag, Object given, Object stored, String checkpoint) {
        if (!java.util.Objects.equals(given, stored)) {
            throw conflict(flag, given, stored == null ? "without " + flag : "with " + flag + " " + shown(stored), checkpoint);
        }
    }

    /** "--lr 0.01 conflicts with the checkpoint C, which was trained {@code trained}; omit --lr ...". */
    static NvaeException conflict(String flag, Object given, String trained, String checkpoint) {
        return new NvaeException(flag + " " + shown(given) + " conflicts with the checkpoint " + checkpoint + ", which was trained "
                + trained + "; omit " + flag + " to continue the run as it was");
    }

    /** A flag's value as it is written on the command line: a list as "32,64", not "[32, 64]". */
    static String shown(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                : String.valueOf(value);
    }

    private boolean given(String flag) {
        return command.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
