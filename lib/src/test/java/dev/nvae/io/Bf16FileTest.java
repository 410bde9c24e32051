package dev.nvae.io;

import dev.nvae.kernels.Bf16Scalar;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.model.LatentModel;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Model files stored as BF16: half the bytes, every value rounded to nearest even, loaded widened and frozen. */
class Bf16FileTest {
    @TempDir
    Path dir;

    @Test
    void aBf16ModelFileHoldsTheRoundedWeightsInHalfTheBytes() throws IOException {
        ModelConfig c = ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1);
        Path f32 = dir.resolve("m.safetensors"), bf16 = dir.resolve("m16.safetensors");
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            ModelFile.save(m, f32, classes, Map.of("data", "x"));
            ModelFile.save(m, bf16, classes, Map.of("data", "x"), StoredDtype.BF16);
            long values = m.params().layout().parameterCount();
            long header32 = Files.size(f32) - values * 4, header16 = Files.size(bf16) - values * 2;
            // Counting 4 and 2 bytes per value leaves the headers, which differ only in dtype strings and offset digits.
            assertTrue(Math.abs(header32 - header16) < 64, "headers of " + header32 + " and " + header16 + " bytes");
            assertEquals(Set.of("BF16"), SafeTensors.read(bf16).dtypes());
            try (LoadedModel back32 = ModelFile.load(f32)) {
                assertEquals(StoredDtype.F32, back32.storedDtype());
            }
            try (LoadedModel back = ModelFile.load(bf16)) {
                assertEquals(StoredDtype.BF16, back.storedDtype(), "what the commands show as weights_dtype");
                assertTrue(back.model().params().frozen(), "a loaded model is for inference");
                for (var e : m.params().tensors().entrySet()) {
                    Tensor original = e.getValue(), loaded = back.model().params().get(e.getKey());
                    for (long i = 0; i < original.size(); i++) {
                        float expected = Bf16Scalar.widen(Bf16Scalar.round(original.getFlat(i)));
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(loaded.getFlat(i)), e.getKey() + "[" + i + "]");
                    }
                }
            }
        }
    }

    /**
     * A finite weight that rounds to bf16's infinity is refused, naming the tensor, and nothing is written: export
     * --dtype bf16 wrote such a file, which every command then refused ("holds a NaN or infinite value").
     */
    @Test
    void aWeightBeyondBf16sRangeIsRefusedNotStoredAsInfinity() throws IOException {
        ModelConfig c = ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1);
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            String name = m.params().layout().entries().get(0).name();
            Tensor t = m.params().get(name);
            // The largest float that still rounds to a finite bf16 (0x7F7F, 3.3895e38), with either sign.
            float largest = Float.intBitsToFloat(0x7F7F7FFF);
            t.setFlat(5, -largest);
            Path fits = dir.resolve("fits.safetensors");
            ModelFile.save(m, fits, classes, Map.of("data", "x"), StoredDtype.BF16);
            try (LoadedModel back = ModelFile.load(fits)) {
                assertEquals(-Float.intBitsToFloat(0x7F7F0000), back.model().params().get(name).getFlat(5));
            }
            for (float over : new float[] {Float.intBitsToFloat(0x7F7F8000), -Float.MAX_VALUE}) {
                t.setFlat(5, over);
                Path refused = dir.resolve("over.safetensors");
                dev.nvae.NvaeException e = assertThrows(dev.nvae.NvaeException.class,
                        () -> ModelFile.save(m, refused, classes, Map.of("data", "x"), StoredDtype.BF16));
                assertTrue(e.getMessage().contains("cannot be stored as bf16: tensor " + name + " holds " + over + " at index 5"), e.getMessage());
                assertFalse(Files.exists(refused), "nothing written");
                try (var files = Files.list(dir)) {
                    assertEquals(List.of(fits), files.toList(), "nothing written, no staging file left");
                }
            }
            ModelFile.save(m, dir.resolve("f32.safetensors"), classes, Map.of("data", "x"));  // fp32 holds it
        }
    }

    @Test
    void anF32ReaderRefusesBf16AndTheWideningReaderWidensExactly() {
        Path file = dir.resolve("t.safetensors");
        float[] values = {1f, -2.5f, 3.14159f, 1e-3f, Float.POSITIVE_INFINITY, Float.NaN};  // a NaN stays a NaN
        SafeTensors.writeArrays(file, List.of(new NamedArray("t", new long[]{values.length}, MemorySegment.ofArray(values))), Map.of(),
                StoredDtype.BF16);
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals("BF16", f.dtype("t"));
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Tensor t = Tensor.allocate(arena, "t", 1, values.length);
            FormatException e = assertThrows(FormatException.class, () -> f.copyInto("t", t));
            assertTrue(e.reason().contains("has dtype BF16; only F32 values can be read"), e.reason());
            f.copyIntoFloat32("t", t);
            for (int i = 0; i < values.length; i++) assertEquals(Bf16Scalar.widen(Bf16Scalar.round(values[i])), t.getFlat(i));
            assertTrue(Float.isNaN(t.getFlat(values.length - 1)));
        }
    }
}
