package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;

/**
 * Quick steady-state training throughput probe (not a JMH benchmark): trains the reference mlp N-VAE
 * for a few epochs on a data source and prints examples/s per epoch.
 * Usage: java ... -cp bench/target/benchmarks.jar dev.nvae.bench.TrainThroughput [data] [epochs] [threads] [backend] [limit|0] [seed]
 */
public final class TrainThroughput {
    public static void main(String[] args) {
        String data = args.length > 0 ? args[0] : "fashion-mnist";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String backend = args.length > 3 ? args[3] : "auto";
        Dataset train = DataSources.load(data, Split.TRAIN);
        if (args.length > 4 && Integer.parseInt(args[4]) > 0) train = train.first(Integer.parseInt(args[4]));
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 0;
        ModelConfig c = ModelConfig.mlp(train.height(), train.width(), train.numClasses(), 8, 4, 1, 1);
        try (Backend be = Backends.create(backend, threads); LatentModel m = LatentModel.create(c)) {
            m.initialize(seed);
            for (EpochSummary s : new Trainer(m, be, train, new TrainOptions(epochs, 128, 1e-3, seed), TrainingListener.NONE).run()) {
                System.out.printf("epoch %d: %.0f examples/s, loss %.2f, acc %.4f%n", s.epoch(), s.examplesPerSecond(), s.loss(), s.accuracy());
            }
            var r = dev.nvae.analysis.Evaluator.evaluate(m, be, DataSources.load(data, Split.TEST), 500, 0, 0);
            System.out.printf("test: neg_elbo %.2f accuracy %.4f%n", r.negElbo(), r.accuracy());
        }
    }
}
