package dev.nvae.cli;

import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compares the tensors of two model files bit for bit (NaN payloads and signed zeros included). */
final class Weights {
    private Weights() {
    }

    static void assertIdentical(Path expected, Path actual) {
        SafeTensorsFile a = SafeTensors.read(expected), b = SafeTensors.read(actual);
        assertEquals(a.names(), b.names(), "tensor names");
        for (String name : a.names()) {
            assertArrayEquals(a.shape(name), b.shape(name), name);
            assertArrayEquals(bits(a.floats(name)), bits(b.floats(name)), "bits of " + name + " in " + actual + " vs " + expected);
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Float.floatToRawIntBits(values[i]);
        return out;
    }
}
