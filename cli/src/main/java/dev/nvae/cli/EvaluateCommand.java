package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.metrics.Mmd;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report neg_elbo, KL terms, accuracy (and iwae_nll) on a split.",
                "Also the KL of every latent dimension: shared, and per class over that class's examples; and for each "
                        + "latent block the aggregate posterior's per-dimension mean and variance and the KL from its "
                        + "Gaussian fit to the prior N(0, I), and - from samples, which see clusters and holes that a "
                        + "Gaussian fit cannot - MMD with its permutation p-value and a kNN estimate of KL(q(z) || N(0, I)).",
                "A model trained with --binarize is evaluated on binarized data, so its iwae_nll is a proper negative "
                        + "log-likelihood."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--iw", paramLabel = "K", defaultValue = "0",
            description = "Importance samples for iwae_nll (batched over examples and samples); 0 = off. Default: ${DEFAULT-VALUE}.")
    int iw;

    @Option(names = "--prior-samples", paramLabel = "N", defaultValue = "" + Evaluator.DEFAULT_PRIOR_SAMPLES,
            description = "Per latent block, draws of the aggregate posterior (one from each of N examples, chosen by --seed) "
                    + "compared with N draws of N(0, I) by MMD and the kNN KL; the cost grows as N squared; 0 = off. Default: ${DEFAULT-VALUE}.")
    int priorSamples;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "500", description = "Examples per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seeds the posterior samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ComputeOptions compute;

    /** The importance weights of a batch are one array of batch × K doubles; {@code lower}: the flags that lower it. */
    static void requireWeightsFit(int iw, long rows, String lower) {
        long weights = rows * iw;
        String what = "--iw " + iw + ": batches of " + rows + " examples with " + iw + " importance samples each";
        if (weights > Integer.MAX_VALUE - 8) {
            throw new NvaeException(what + " are " + weights + " weights, more than the " + (Integer.MAX_VALUE - 8)
                    + " one array holds; lower " + lower);
        }
        MemoryChecks.requireHeap(weights * Double.BYTES, what);
    }

    /** Whether {@code option} was on the command line (not its default). */
    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    @Override
    public Integer call() {
        if (batch < 1) throw new NvaeException("--batch " + batch + " must be at least 1");
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            Backend backend = opening.get(loaded);
            Dataset set = data.loadFor(loaded);
            if (iw > 0) requireWeightsFit(iw, Math.min(batch, set.count()), "--iw or --batch");
            Evaluator.requirePriorSamples(priorSamples, set.count()); // before the heap it would need is asked for
            if (priorSamples > 0) {
                // Each block's draws and as many N(0, I) draws are compared by MMD, whose kernel holds (2N)² / 2 doubles, and a copy.
                int draws = (int) Math.min(priorSamples, set.count());
                MemoryChecks.requireHeap(Mmd.heapBytes(2 * draws), "--prior-samples " + priorSamples
                        + (given("--prior-samples") ? "" : " (the default; 0 turns it off)")
                        + ": comparing " + draws + " posterior draws with as many of N(0, I)");
            }
            EvaluationReport report;
            String task = iw > 0 ? "evaluate --iw " + iw : "evaluate";
            try (PassProgress progress = new PassProgress(task, set.count(), spec.commandLine().getErr(),
                    TrainingProgress.stderrIsTerminal())) {
                report = Evaluator.evaluate(loaded.model(), backend, set, batch, seed, iw, priorSamples, progress);
            }
            String split = data.split().label();
            String dataName = data.spec(loaded);
            PrintWriter out = spec.commandLine().getOut();
            String weights = loaded.storedDtype().label(), precision = backend.precision().label();
            if (json) {
                Map<String, Object> m = EvaluationOutput.json(report, loaded.model().config().model(), dataName, split, loaded.classNames(),
                        set.classNames());
                // As quality, augment and report.json say them: the arithmetic, and the weights it ran on (bf16-rounded or not).
                m.put("precision", precision);
                m.put("weights_dtype", weights);
                out.println(Json.write(m));
                out.flush();
            } else {
                EvaluationOutput.table(out, report, loaded.model().config().model(), dataName, split, loaded.classNames(),
                        set.classNames(), weights, precision);
            }
        }
        return 0;
    }
}
