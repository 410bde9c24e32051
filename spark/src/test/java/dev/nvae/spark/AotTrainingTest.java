package dev.nvae.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The run spark/local records its start-up cache from keeps working: both jobs on a random model, exit 0. */
class AotTrainingTest {
    @Test
    void bothJobsRunOnARandomModel() {
        LocalSpark.Result r = LocalSpark.job("aot-training");
        assertEquals(0, r.code(), r.err());
    }
}
