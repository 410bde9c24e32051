package dev.nvae.cli;

import dev.nvae.analysis.AggregatePosterior;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.PriorDivergence;
import dev.nvae.analysis.metrics.ClusterAgreement;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An evaluation report as JSON (for scripts) or as a readable table (for people). */
final class EvaluationOutput {
    private EvaluationOutput() {
    }

    /**
     * @param classNames  the model's classes (a label-free model's clusters)
     * @param dataClasses the split's classes, which a label-free model's clusters are matched to
     */
    static Map<String, Object> json(EvaluationReport r, String model, String data, String split, List<String> classNames,
                                    List<String> dataClasses) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("data", data);
        m.put("split", split);
        m.put("examples", r.examples());
        m.put("neg_elbo", r.negElbo());
        m.put("rec", r.rec());
        m.put("kl_s", r.klS());
        m.put("kl_c", r.klC());
        m.put("ce", r.ce());
        m.put("accuracy", Json.finiteOrNull(r.accuracy()));
        if (r.unlabelled() > 0) {
            m.put("unlabelled", r.unlabelled());
            // A vae has no q(y|x), so no kl_y term: its 0 would be a figure of nothing (the table has no row for it).
            if (classBlocks(r)) m.put("kl_y", r.klY());
        }
        if (r.clustering() != null) m.put("clustering", clustering(r.clustering(), classNames, dataClasses));
        if (r.iwSamples() > 0) {
            m.put("iwae_nll", r.iwaeNll());
            m.put("iw_samples", r.iwSamples());
        }
        m.put("classes", classNames);
        m.put("kl_shared_per_dim", r.klSharedPerDim());
        // A class the split has no example of has no mean: null, as its aggregate posterior's moments are.
        List<double[]> perClass = new ArrayList<>();
        for (int k = 0; k < r.klClassPerDim().length; k++) perClass.add(r.noExampleOf(k) ? null : r.klClassPerDim()[k]);
        m.put("kl_class_per_dim", perClass);
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (AggregatePosterior a : r.aggregatePosterior()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("block", a.block());
            b.put("examples", a.examples());
            b.put("kl_diagonal", Json.finiteOrNull(a.klDiagonal()));
            b.put("kl_full", Json.finiteOrNull(a.klFull()));
            // A block of no example (a class the split lacks) has no mean or variance; NaN would be written as "NaN".
            b.put("mean", a.examples() == 0 ? null : a.mean());
            b.put("variance", a.examples() == 0 ? null : a.variance());
            if (a.divergence() != null) b.put("prior_divergence", divergence(a.divergence()));
            blocks.add(b);
        }
        m.put("aggregate_posterior", blocks);
        return m;
    }

    /** The clustering figures of a label-free model: agreement with the split's classes and each cluster's size. */
    static Map<String, Object> clustering(ClusterAgreement a, List<String> clusters, List<String> dataClasses) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", Json.finiteOrNull(a.accuracy()));
        m.put("nmi", Json.finiteOrNull(a.nmi()));
        m.put("ari", Json.finiteOrNull(a.ari()));
        m.put("labelled_examples", a.labelled());
        m.put("cluster_sizes", a.sizes());
        List<String> matched = new ArrayList<>();
        for (int k = 0; k < a.classOf().length; k++) matched.add(a.labelled() > 0 && a.classOf()[k] >= 0 ? dataClasses.get(a.classOf()[k]) : null);
        m.put("clusters", clusters);
        m.put("matched_class", matched);
        return m;
    }

    /** The sample-based distances of one block's q(z) to N(0, I), for JSON. */
    static Map<String, Object> divergence(PriorDivergence d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", d.samples());
        m.put("mmd2", Json.finiteOrNull(d.mmd2()));
        m.put("mmd_p", Json.finiteOrNull(d.pValue()));
        m.put("mmd_bandwidth", Json.finiteOrNull(d.bandwidth()));
        m.put("permutations", d.permutations());
        m.put("knn_kl", Json.finiteOrNull(d.knnKl()));
        m.put("knn_k", d.k());
        return m;
    }

    /** An N-VAE's report: it has class blocks, and with them q(y|x) and the kl_c and kl_y terms. */
    private static boolean classBlocks(EvaluationReport r) {
        return r.klClassPerDim().length > 0 && r.klClassPerDim()[0].length > 0;
    }

    /**
     * @param weights   how the model file stores its weights, fp32 or bf16 (as {@code weights_dtype} in the JSON)
     * @param precision the arithmetic the evaluation ran in, fp32 or bf16 (as {@code precision} in the JSON)
     */
    static void table(PrintWriter out, EvaluationReport r, String model, String data, String split, List<String> classNames,
                      List<String> dataClasses, String weights, String precision) {
        boolean nvae = classBlocks(r);
        boolean free = r.clustering() != null;
        out.printf(Locale.ROOT, "%s, %s split, %d %s (nats per example), model %s%s; weights stored as %s, computed at --precision %s%n",
                data, split, r.examples(), r.examples() == 1 ? "example" : "examples", model,
                free ? " (label-free: its classes are clusters)" : r.unlabelled() > 0 ? ", " + r.unlabelled() + " of them unlabelled" : "",
                weights, precision);
        row(out, "neg_elbo", r.negElbo(), free ? "rec + kl_s + kl_c + kl_y, summed over clusters"
                : nvae ? "rec + kl_s + kl_c (+ kl_y unlabelled), true label" : "rec + kl");
        row(out, "rec", r.rec(), "-log p(x|" + (nvae ? "y,z)" : model.equals("cvae") ? "y,z)" : "z)") + (free ? ", expected under q(y|x)" : ""));
        row(out, nvae ? "kl_s" : "kl", r.klS(), nvae ? "KL of the shared latent" : "KL of the latent");
        if (nvae) {
            row(out, "kl_c", r.klC(), free ? "KL of the cluster's latent, expected under q(y|x)" : "KL of the true class's latent");
            if (r.unlabelled() > 0) row(out, "kl_y", r.klY(), "KL(q(y|x) || p(y)) of examples without a label");
            // Without a labelled example ce and accuracy measure nothing (0 and NaN by convention): no row for them.
            if (!free && r.unlabelled() < r.examples()) {
                row(out, "ce", r.ce(), "-log q(y|x)");
                row(out, "accuracy", r.accuracy(), "of argmax q(y|x)");
            }
        }
        if (r.iwSamples() > 0) row(out, "iwae_nll", r.iwaeNll(), r.iwSamples() + " importance samples");
        if (free) {
            out.println();
            out.print("Clusters (argmax q(y|x)): ");
            clusteringTable(out, r.clustering(), classNames, dataClasses);
        }
        out.println();
        String factor = free ? "a cluster's factor" : nvae ? "a class factor" : "a factor";
        out.println("KL per latent dimension (" + factor + " stands out; an unused dimension is ~0)");
        int width = Math.max(6, classNames.stream().mapToInt(String::length).max().orElse(0));
        int dims = Math.max(r.klSharedPerDim().length, nvae ? r.klClassPerDim()[0].length : 0);
        out.printf(Locale.ROOT, "%-" + width + "s", "");
        for (int j = 0; j < dims; j++) out.printf(Locale.ROOT, " %6d", j);
        out.println();
        perDim(out, width, nvae ? "shared" : "z", r.klSharedPerDim());
        for (int k = 0; nvae && k < r.klClassPerDim().length; k++) {
            if (r.noExampleOf(k)) out.printf(Locale.ROOT, "%-" + width + "s  (no example in this split)%n", classNames.get(k));
            else perDim(out, width, classNames.get(k), r.klClassPerDim()[k]);
        }
        out.println();
        out.println("Aggregate posterior q(z) = mean over examples of q(z|x), against the prior N(0, I):");
        out.println("KL from its Gaussian fit (diagonal, and full covariance) to N(0, I); per-dimension mean and variance");
        int blockWidth = Math.max(8, r.aggregatePosterior().stream().mapToInt(a -> a.block().length()).max().orElse(0));
        out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8s %9s %9s%n", "block", "examples", "KL diag", "KL full");
        for (AggregatePosterior a : r.aggregatePosterior()) {
            if (a.examples() == 0) {
                out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8d  no example%n", a.block(), 0);
                continue;
            }
            out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8d %9.4f %9.4f%n", a.block(), a.examples(), a.klDiagonal(), a.klFull());
            vector(out, blockWidth, "mean", a.mean());
            vector(out, blockWidth, "variance", a.variance());
        }
        List<AggregatePosterior> measured = r.aggregatePosterior().stream().filter(a -> a.divergence() != null).toList();
        if (!measured.isEmpty()) {
            out.println();
            out.println("The same q(z) against N(0, I) from samples, which see clusters and holes a Gaussian fit cannot:");
            out.printf(Locale.ROOT, "one draw of q(z|x) from each of up to %d examples per block against as many N(0, I) draws;%n",
                    measured.stream().mapToInt(a -> a.divergence().samples()).max().orElse(0));
            // The settings, not a block's: a block too small to measure has none (0 permutations, the 0th neighbour).
            out.printf(Locale.ROOT, "MMD² (RBF kernel, median-distance bandwidth, unbiased) with its permutation p-value (%d permutations),%n",
                    PriorDivergence.PERMUTATIONS);
            out.printf(Locale.ROOT, "and the %d-nearest-neighbour estimate of KL(q(z) || N(0, I)) in nats%n", PriorDivergence.NEIGHBOUR);
            out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8s %9s %8s %9s%n", "block", "samples", "MMD²", "p", "kNN KL");
            for (AggregatePosterior a : measured) {
                PriorDivergence d = a.divergence();
                if (d.measured()) {
                    out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8d %9.5f %8.4f %9.4f%n", a.block(), d.samples(), d.mmd2(), d.pValue(), d.knnKl());
                } else {
                    out.printf(Locale.ROOT, "  %-" + blockWidth + "s %8d  too few to measure (at least %d)%n", a.block(), d.samples(),
                            PriorDivergence.FEWEST);
                }
            }
        }
        out.flush();
    }

    /** Agreement with the classes, then each cluster's share of the examples and the class it is matched to. */
    static void clusteringTable(PrintWriter out, ClusterAgreement a, List<String> clusters, List<String> dataClasses) {
        if (a.labelled() == 0) {
            // Rows of NaN said nothing: there is no class to score the clusters against, only their sizes.
            out.println("no example has a label to score the clusters against; their sizes:");
        } else {
            out.printf(Locale.ROOT, "against the classes of the %d labelled examples%n", a.labelled());
            row(out, "acc", a.accuracy(), "clustering accuracy, best one-to-one match of clusters to classes");
            row(out, "nmi", a.nmi(), "normalised mutual information (arithmetic mean of entropies)");
            row(out, "ari", a.ari(), "adjusted Rand index");
        }
        for (int k = 0; k < a.sizes().length; k++) {
            out.printf(Locale.ROOT, "  %-12s %6.2f%%%s%n", clusters.get(k), 100 * a.sizes()[k],
                    a.labelled() > 0 && a.classOf()[k] >= 0 ? "  = " + dataClasses.get(a.classOf()[k]) : "");
        }
    }

    private static void row(PrintWriter out, String name, double value, String meaning) {
        out.printf(Locale.ROOT, "  %-9s %10.4f   %s%n", name, value, meaning);
    }

    private static void perDim(PrintWriter out, int width, String label, double[] values) {
        out.printf(Locale.ROOT, "%-" + width + "s", label);
        Arrays.stream(values).forEach(v -> out.printf(Locale.ROOT, " %6.2f", v));
        out.println();
    }

    private static void vector(PrintWriter out, int width, String label, double[] values) {
        out.printf(Locale.ROOT, "  %" + width + "s ", label);
        Arrays.stream(values).forEach(v -> out.printf(Locale.ROOT, " %6.3f", v));
        out.println();
    }
}
