package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.KMeans;
import dev.nvae.analysis.LatentClustering;
import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster a VAE's latent means by k-means, scored against labels.",
                "The baseline for label-free N-VAE clustering: k-means (k-means++ seeding, the best of --restarts runs) "
                        + "on a VAE's latent means mu_z(x) of a split, scored against the split's labels by the figures "
                        + "evaluate reports for a label-free model: clustering accuracy (best one-to-one match of "
                        + "clusters to classes), NMI, ARI and the cluster sizes."})
final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--clusters", paramLabel = "K", description = "Number of k-means clusters (k). Default: the data's number of classes (data without labels needs it).")
    Integer clusters;

    @Option(names = "--restarts", paramLabel = "R", defaultValue = "10", description = "k-means runs, 1 to " + KMeans.MAX_RESTARTS + "; the lowest inertia wins. Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seeds the k-means++ draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        KMeans.requireRestarts(restarts); // before the model is read and the split encoded
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            // Before the data is checked against the model: data fixed for a model cluster refuses anyway is time lost.
            LatentClustering.requireBaseline(loaded.model().config());
            Backend backend = opening.get(loaded);
            Dataset set = data.loadFor(loaded);
            int k = ClusterCount.of(clusters, set, data.spec(loaded) + " (" + data.split().label() + " split)");
            LatentClustering.Result r = LatentClustering.kMeans(loaded.model(), backend, set, k, restarts, seed);
            ClusterAgreement a = r.agreement();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", loaded.model().config().model());
                m.put("data", data.spec(loaded));
                m.put("split", data.split().label());
                m.put("examples", set.count());
                m.put("restarts", restarts);
                m.put("inertia", r.kMeans().inertia());
                m.put("clustering", EvaluationOutput.clustering(a, ModelConfig.clusterNames(k), set.classNames()));
                out.println(Json.write(m));
            } else {
                out.printf(Locale.ROOT, "%s, %s split, %d %s: k-means (k = %d, best of %d) on the latent means of a %s%n",
                        data.spec(loaded), data.split().label(), set.count(), set.count() == 1 ? "example" : "examples", k, restarts, loaded.model().config().model());
                EvaluationOutput.clusteringTable(out, a, ModelConfig.clusterNames(k), set.classNames());
            }
            out.flush();
        }
        return 0;
    }
}
