package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Disentanglement;
import dev.nvae.analysis.metrics.Mig;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.data.synthetic.KnownFactors;
import dev.nvae.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "disentangle", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score how well latents separate known factors of variation.",
                "MIG (Chen et al. 2018), DCI (Eastwood & Williams 2018, Lasso) and SAP (Kumar et al. 2018), from "
                        + "posterior means.",
                "Needs a data directory with known factor values, as written by 'nvae synth'. Groups: the shared latent "
                        + "vs the shared factors (all examples), then for each class with factors of its own the shared + "
                        + "class latent vs the shared + own factors (that class's examples; a class with fewer than 5 in the split is "
                        + "named, not scored)."})
final class DisentangleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "" + Mig.DEFAULT_BINS,
            description = "Histogram bins per latent for MIG's mutual information, 2 to " + Mig.MAX_BINS + ". Default: ${DEFAULT-VALUE}.")
    int bins;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            Disentanglement.requireClasses(loaded.model().config());
            Backend backend = opening.get(loaded);
            Dataset set = data.loadFor(loaded);
            if (set.count() < Disentanglement.MIN_EXAMPLES) {
                throw new NvaeException("--data " + data.spec(loaded) + ": the " + data.split().label() + " split has " + set.count()
                        + " example" + (set.count() == 1 ? "" : "s") + "; disentangle needs at least " + Disentanglement.MIN_EXAMPLES
                        + " (DCI splits them 60/20/20 to fit, choose and test its regressors)");
            }
            KnownFactors known = KnownFactors.read(Path.of(data.spec(loaded)), data.split(), "--data");
            List<Map<String, Object>> tooFew = new ArrayList<>();
            List<Disentanglement.Group> groups = Disentanglement.evaluate(loaded.model(), backend, set, known, bins, (group, examples) -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("group", group);
                g.put("examples", examples);
                tooFew.add(g);
            });
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (Disentanglement.Group g : groups) list.add(json(g));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", loaded.model().config().model());
                m.put("data", data.spec(loaded));
                m.put("split", data.split().label());
                m.put("groups", list);
                m.put("too_few_examples", tooFew);
                out.println(Json.write(m));
            } else {
                out.printf("%s, %s split (%s model)%n", data.spec(loaded), data.split().label(), loaded.model().config().model());
                for (Disentanglement.Group g : groups) table(out, g);
                for (Map<String, Object> g : tooFew) {
                    out.printf(Locale.ROOT, "%n%s: %s example%s, too few to score (a group needs at least %d)%n", g.get("group"),
                            g.get("examples"), g.get("examples").equals(1) ? "" : "s", Disentanglement.MIN_EXAMPLES);
                }
            }
            out.flush();
        }
        return 0;
    }

    private static Map<String, Object> json(Disentanglement.Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.name());
        m.put("examples", g.examples());
        m.put("latents", g.latents());
        m.put("factors", g.factors());
        m.put("mig", nan(g.mig().score()));
        // A factor constant over the group has no gap: NaN, which JSON writes as null.
        m.put("mig_per_factor", nan(g.mig().perFactor()));
        m.put("sap", nan(g.sap().score()));
        m.put("sap_per_factor", nan(g.sap().perFactor()));
        m.put("dci_disentanglement", g.dci().disentanglement());
        m.put("dci_completeness", g.dci().completeness());
        m.put("dci_informativeness_nrmse", nan(g.dci().informativeness()));
        m.put("dci_importance", g.dci().importance());
        m.put("mutual_information", g.mig().mutualInformation());
        m.put("r_squared", g.sap().scores());
        return m;
    }

    private static Object nan(double v) {
        return Json.finiteOrNull(v);
    }

    private static List<Double> nan(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) out.add(Json.finiteOrNull(x));
        return out;
    }

    private static void table(PrintWriter out, Disentanglement.Group g) {
        out.printf(Locale.ROOT, "%n%s: %d examples; latents %s%n", g.name(), g.examples(), String.join(" ", g.latents()));
        out.printf(Locale.ROOT, "  MIG %s   SAP %s   DCI disentanglement %.3f completeness %.3f informativeness (NRMSE) %s%n",
                f3(g.mig().score()), f3(g.sap().score()), g.dci().disentanglement(), g.dci().completeness(), f3(g.dci().informativeness()));
        out.printf(Locale.ROOT, "  %-10s %7s %7s %9s %7s   %s%n", "factor", "MIG", "SAP", "complete", "NRMSE", "most informative latent (MI nats)");
        for (int k = 0; k < g.factors().size(); k++) {
            if (g.mig().entropy()[k] == 0) {
                out.printf(Locale.ROOT, "  %-10s %7s %7s %9s %7s   %s%n", g.factors().get(k), "n/a", "n/a", "n/a", "n/a", CONSTANT);
                continue;
            }
            int best = 0;
            double[][] mi = g.mig().mutualInformation();
            for (int j = 1; j < mi.length; j++) if (mi[j][k] > mi[best][k]) best = j;
            out.printf(Locale.ROOT, "  %-10s %7s %7s %9s %7s   %s (%.2f of H=%.2f)%n", g.factors().get(k), f3(g.mig().perFactor()[k]),
                    f3(g.sap().perFactor()[k]), f3(g.dci().completenessPerFactor()[k]), f3(g.dci().errorPerFactor()[k]),
                    g.latents().get(best), mi[best][k], g.mig().entropy()[k]);
        }
    }

    /** What a factor that does not vary over a group has: no score (NaN), which the table printed as "NaN". */
    static final String CONSTANT = "constant over these examples: nothing to measure";

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
