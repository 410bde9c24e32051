package dev.nvae.api;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's errors name what an API caller set — {@code epochs}, {@code data}, {@code Precision.FP32} — not the CLI
 * flags it never typed: a resumed run said "--epochs 1 is fewer", a missing data directory "--data DIR: ...", a
 * convolutional model at BF16 "run this model at --precision fp32", a negative betaC "beta-c -1.0 ...".
 */
class ApiMessagesTest {
    @TempDir
    Path dir;

    private Training small() {
        return Training.on("testdata").limit(64).batchSize(64).backend(ComputeBackend.VECTOR).threads(1).seed(3);
    }

    @Test
    void trainingErrorsNameTheApisSettings() {
        Path out = dir.resolve("m.safetensors");
        ModelException data = assertThrows(ModelException.class, () -> Training.on(dir.resolve("nothing-here")).run(out));
        assertEquals("data " + dir.resolve("nothing-here") + ": " + dir.resolve("nothing-here") + " does not exist", data.getMessage());

        Path ck = dir.resolve("ck");
        small().epochs(2).checkpoints(ck, 0, 3).run(out);
        ModelException fewer = assertThrows(ModelException.class, () -> Training.resume(ck).epochs(1).run(dir.resolve("r.safetensors")));
        assertTrue(fewer.getMessage().endsWith(": checkpoint has already finished 2 epochs; epochs 1 is fewer"), fewer.getMessage());

        InvalidRequestException betaC = assertThrows(InvalidRequestException.class, () -> small().weights(-1, 1).run(out));
        assertEquals("weights: betaC -1.0 must be a finite number >= 0", betaC.getMessage());
        for (String m : List.of(data.getMessage(), fewer.getMessage(), betaC.getMessage())) assertFalse(m.contains("--"), m);
    }

    @Test
    void openingErrorsNameTheApisOptions() {
        Path conv = dir.resolve("conv.safetensors");
        try (LatentModel c = LatentModel.create(ModelConfig.mlp(8, 8, 10, 2, 2, 1, 1).withArchitecture(ModelConfig.CONV, new int[] {16}, List.of(4, 8)))) {
            c.initialize(1);
            ModelFile.save(c, conv, TestModels.CLASSES, Map.of());
        }
        ModelException e = assertThrows(ModelException.class, () -> NvaeModel.open(conv,
                ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1).withPrecision(Precision.BF16)));
        assertEquals("Precision.BF16: enc.conv1.w is a convolution kernel, and on the vector backend convolutions have no bf16 "
                + "products (the onednn backend has them, on a CPU with avx512_bf16 or amx_bf16); run this model at "
                + "Precision.FP32 or on ComputeBackend.ONEDNN", e.getMessage());
    }

    /** Text that quotes a command on purpose keeps its flags; advice the API cannot follow is left out. */
    @Test
    void flagsOfAQuotedCommandStayAndAdviceWithoutCounterpartGoes() {
        assertEquals("an nvae learns its classes from labelled ones; nvae train --labels none trains it without labels",
                ApiMessages.of("an nvae learns its classes from labelled ones; nvae train --labels none trains it without labels"));
        assertEquals("loss is NaN at epoch 1, step 3: try a smaller learningRate",
                ApiMessages.of("loss is NaN at epoch 1, step 3: try a smaller --lr, or --on-nan skip"));
        assertEquals("x: checkpoint was trained with batchSize 64 learningRate 0.001 seed 3, not batchSize 32 learningRate 0.001 seed 3",
                ApiMessages.of("x: checkpoint was trained with --batch 64 --lr 0.001 --seed 3, not --batch 32 --lr 0.001 --seed 3"));
        assertEquals("Precision.BF16: training in bf16 runs on oneDNN, and the vector backend was chosen; give ComputeBackend.ONEDNN",
                ApiMessages.of("--precision bf16: training in bf16 runs on oneDNN, and the vector backend was chosen; give --backend onednn"));
    }
}
