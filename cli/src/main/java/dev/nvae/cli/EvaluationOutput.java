package dev.nvae.cli;

import dev.nvae.analysis.EvaluationReport;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An evaluation report as JSON (for scripts) or as a readable table (for people). */
final class EvaluationOutput {
    private EvaluationOutput() {
    }

    static Map<String, Object> json(EvaluationReport r, String data, String split, List<String> classNames) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("split", split);
        m.put("examples", r.examples());
        m.put("neg_elbo", r.negElbo());
        m.put("rec", r.rec());
        m.put("kl_s", r.klS());
        m.put("kl_c", r.klC());
        m.put("ce", r.ce());
        m.put("accuracy", r.accuracy());
        if (r.iwSamples() > 0) {
            m.put("iwae_nll", r.iwaeNll());
            m.put("iw_samples", r.iwSamples());
        }
        m.put("classes", classNames);
        m.put("kl_shared_per_dim", r.klSharedPerDim());
        m.put("kl_class_per_dim", r.klClassPerDim());
        return m;
    }

    static void table(PrintWriter out, EvaluationReport r, String data, String split, List<String> classNames) {
        out.printf(Locale.ROOT, "%s, %s split, %d examples (nats per example)%n", data, split, r.examples());
        row(out, "neg_elbo", r.negElbo(), "rec + kl_s + kl_c, true label");
        row(out, "rec", r.rec(), "-log p(x|y,z)");
        row(out, "kl_s", r.klS(), "KL of the shared latent");
        row(out, "kl_c", r.klC(), "KL of the true class's latent");
        row(out, "ce", r.ce(), "-log q(y|x)");
        row(out, "accuracy", r.accuracy(), "of argmax q(y|x)");
        if (r.iwSamples() > 0) row(out, "iwae_nll", r.iwaeNll(), r.iwSamples() + " importance samples");
        out.println();
        out.println("KL per latent dimension (a class factor stands out; an unused dimension is ~0)");
        int width = Math.max(6, classNames.stream().mapToInt(String::length).max().orElse(0));
        int dims = Math.max(r.klSharedPerDim().length, r.klClassPerDim().length == 0 ? 0 : r.klClassPerDim()[0].length);
        out.printf(Locale.ROOT, "%-" + width + "s", "");
        for (int j = 0; j < dims; j++) out.printf(Locale.ROOT, " %6d", j);
        out.println();
        perDim(out, width, "shared", r.klSharedPerDim());
        for (int k = 0; k < r.klClassPerDim().length; k++) perDim(out, width, classNames.get(k), r.klClassPerDim()[k]);
        out.flush();
    }

    private static void row(PrintWriter out, String name, double value, String meaning) {
        out.printf(Locale.ROOT, "  %-9s %10.4f   %s%n", name, value, meaning);
    }

    private static void perDim(PrintWriter out, int width, String label, double[] values) {
        out.printf(Locale.ROOT, "%-" + width + "s", label);
        Arrays.stream(values).forEach(v -> out.printf(Locale.ROOT, " %6.2f", v));
        out.println();
    }
}
