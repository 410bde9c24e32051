package dev.nvae.train;

import dev.nvae.backend.Precision;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.optim.Adam;
import dev.nvae.tensor.FlatParameters;

import java.util.List;

/**
 * The live state of a run at a step boundary, handed by the {@link Trainer} to its
 * {@link CheckpointStore}. It references the trainer's buffers rather than copying them: it is only
 * valid during the call it is passed to.
 *
 * @param epochLoss the running sums of the current epoch (empty at an epoch boundary)
 * @param completed the summaries of the epochs finished so far
 * @param schedule  the run's checkpoint schedule, recorded so that a resumed run keeps it
 * @param precision the number format of the run's products, recorded so that a resumed run computes as it did
 * @param backend   the name of the backend that computed it ({@code vector}, {@code onednn}, {@code cuda}), recorded so
 *                  that a resumed run goes on on it (another sums in another order: other weights); null: not recorded
 * @param threads   the threads that computed it, recorded so that a resumed run on a backend whose sums depend on them
 *                  goes on with as many; 0: not recorded
 */
public record TrainingSnapshot(ModelConfig config, List<String> classNames, TrainOptions options, DataRef data,
                               TrainingPosition position, BatchLoss epochLoss, List<EpochSummary> completed,
                               CheckpointSchedule schedule, Precision precision, FlatParameters params, Adam adam, String backend,
                               int threads) {
    public TrainingSnapshot(ModelConfig config, List<String> classNames, TrainOptions options, DataRef data,
                            TrainingPosition position, BatchLoss epochLoss, List<EpochSummary> completed,
                            CheckpointSchedule schedule, Precision precision, FlatParameters params, Adam adam) {
        this(config, classNames, options, data, position, epochLoss, completed, schedule, precision, params, adam, null, 0);
    }
}
