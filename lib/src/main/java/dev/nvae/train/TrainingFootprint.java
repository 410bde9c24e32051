package dev.nvae.train;

import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;

/**
 * The memory a training run holds off the heap, known from its settings and data before any of it is allocated, so
 * that a size asking for too much is refused in one line instead of ending the JVM half-way through allocating: four
 * copies of the parameters (weights, gradients, Adam's two moments) and the workspace of one batch's activations. An
 * N-VAE that reads unlabelled examples holds K decoder rows per example (one per class it sums over).
 *
 * @param parameters the model's parameter count, as a model file reports it
 * @param rows       examples in one step's batch
 * @param bytes      what the run holds off the heap
 */
public record TrainingFootprint(long parameters, long rows, long bytes) {
    public static TrainingFootprint of(ModelConfig c, Dataset train, int batchSize) {
        var layout = LatentModel.layout(c);
        // A mixed batch (labelled and unlabelled examples) is always batchSize rows, revisiting the labelled set (BatchOrder).
        long rows = mixesBatches(c, train) ? batchSize : Math.min(batchSize, train.count());
        long decoderRows = c.isNvae() && !train.fullyLabelled() ? rows * c.numClasses() : rows;
        long activations = rows * (c.encoderInputDim() + 2L * c.hidden1() + 2L * c.hidden2() + 3L * c.headsDim())
                + decoderRows * (3L * c.inputDim() + 2L * c.hidden1() + 2L * c.hidden2() + 2L * c.decoderInputDim());
        return new TrainingFootprint(layout.parameterCount(), rows, Float.BYTES * (4 * layout.totalFloats() + activations));
    }

    /** Whether the trainer's batches mix labelled and unlabelled examples in a share (BatchOrder, Trainable#readsLabels). */
    public static boolean mixesBatches(ModelConfig c, Dataset train) {
        return !ModelConfig.readsNoLabel(c.model()) && train.labelledCount() > 0 && !train.fullyLabelled();
    }
}
