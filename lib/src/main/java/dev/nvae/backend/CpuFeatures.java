package dev.nvae.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CPU says it can do: the model name, family and model numbers and instruction-set flags of {@code /proc/cpuinfo} (empty
 * where it does not exist). {@code -Dnvae.cpu.absent=flag,flag} pretends the named flags are absent — how
 * the refusals that depend on them are tested on any machine, and how a user can force the fallback.
 */
public final class CpuFeatures {
    /** System property listing flags to treat as absent, comma-separated. */
    public static final String ABSENT_PROPERTY = "nvae.cpu.absent";
    /** The flags a CPU needs for bf16 products in hardware (either one). */
    public static final List<String> BF16_FLAGS = List.of("avx512_bf16", "amx_bf16");

    private static final class Cpuinfo {
        static final List<String> LINES = read();

        private static List<String> read() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo"));
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    private CpuFeatures() {
    }

    /** The flags of the first processor, less those {@value #ABSENT_PROPERTY} names. */
    public static Set<String> flags() {
        Set<String> flags = new LinkedHashSet<>(Arrays.asList(field("flags").split("\\s+")));
        flags.remove("");
        flags.remove("unknown");
        String absent = System.getProperty(ABSENT_PROPERTY, "");
        for (String f : absent.split(",")) flags.remove(f.strip());
        return flags;
    }

    public static boolean has(String flag) {
        return flags().contains(flag);
    }

    /** Whether the CPU multiplies bf16 in hardware: avx512_bf16 or amx_bf16. */
    public static boolean hasBf16() {
        Set<String> flags = flags();
        return BF16_FLAGS.stream().anyMatch(flags::contains);
    }

    /** The "model name" line, or "unknown". */
    public static String modelName() {
        return field("model name");
    }

    /**
     * The model name with the CPU's family and model numbers, e.g. "AMD EPYC (family 26, model 2)": a virtual
     * machine often reports a bare vendor name, and the numbers are what tell one micro-architecture from another
     * (AMD's family 25 is Zen 3 and Zen 4, 26 Zen 5; Intel's are all family 6, told apart by the model).
     */
    public static String description() {
        String family = field("cpu family"), model = field("model");
        if (family.equals("unknown") || model.equals("unknown")) return modelName();
        return modelName() + " (family " + family + ", model " + model + ")";
    }

    /** The value of the first "key : value" line with this key, or "unknown". */
    private static String field(String key) {
        for (String line : Cpuinfo.LINES) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) return line.substring(colon + 1).strip();
        }
        return "unknown";
    }
}
