package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.OneDnnBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native-leak probe (not a benchmark): trains the reference mlp N-VAE through the real {@link Trainer} for a
 * number of steps and prints the process's resident memory (VmRSS from /proc/self/status) at intervals. Run
 * with a fixed, pre-touched heap so that Java heap growth cannot show up as RSS growth:
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m -XX:+AlwaysPreTouch \
 *     -cp bench/target/benchmarks.jar dev.nvae.bench.RssProbe [backend=onednn] [steps=10000] [data=testdata] [threads=2]
 * </pre>
 * With testdata (3000 examples) every epoch ends on a ragged batch of 56, so both primitive shapes run.
 */
public final class RssProbe {
    public static void main(String[] args) throws IOException {
        String backend = args.length > 0 ? args[0] : "onednn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String data = args.length > 2 ? args[2] : "testdata";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Dataset train = DataSources.load(data, Split.TRAIN);
        int batch = 128;
        int stepsPerEpoch = (train.count() + batch - 1) / batch;
        int epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        int interval = Math.max(1, steps / 10);
        ModelConfig c = ModelConfig.mlp(train.height(), train.width(), train.numClasses(), 8, 4, 1, 1);
        System.out.printf("rss probe: backend %s, %d threads, %s (%d examples, %d steps/epoch), %d epochs = %d steps%n",
                backend, threads, data, train.count(), stepsPerEpoch, epochs, epochs * stepsPerEpoch);
        System.out.printf("step %6d  VmRSS %s  (before training)%n", 0, rss());
        long t0 = System.nanoTime();
        try (Backend be = Backends.create(backend, threads); LatentModel m = LatentModel.create(c)) {
            m.initialize(0);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(int epoch, int step, int stepsInEpoch, BatchLoss epochLoss, double examplesPerSecond) {
                    int global = epoch * stepsInEpoch + step + 1;
                    if (global % interval == 0) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("step %6d  VmRSS %s  loss %.2f  %.0f s%n", global, rss(), epochLoss.meanTotal(), secs);
                    }
                }
            };
            new Trainer(m, be, train, new TrainOptions(epochs, batch, 1e-3, 0), listener).run();
            if (be instanceof OneDnnBackend o) {
                System.out.printf("onednn: %d primitives, scratchpad %d bytes%n", o.primitives().size(), o.scratchpadBytes());
            }
        }
        System.out.printf("after close  VmRSS %s%n", rss());
    }

    private static String rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return line.substring(6).strip();
            }
            return "unknown";
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
