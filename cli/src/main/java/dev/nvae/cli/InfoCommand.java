package dev.nvae.cli;

import dev.nvae.backend.Backends;
import dev.nvae.kernels.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show backends, vector width, relevant CPU flags, JDK and processors."})
final class InfoCommand implements Callable<Integer> {
    /** The flags that decide which kernels can run fast: 256/512-bit FMA, AVX-512 subsets, bf16 and AMX tiles. */
    private static final List<String> FLAGS = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16",
            "amx_tile", "amx_bf16", "amx_int8");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("nvae        " + VersionProvider.version());
        out.println("jdk         " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")");
        out.println("processors  " + Runtime.getRuntime().availableProcessors());
        out.println("vector      " + Simd.describe());
        List<String> cpuinfo = cpuinfo();
        out.println("cpu         " + field(cpuinfo, "model name"));
        Set<String> flags = Arrays.stream(field(cpuinfo, "flags").split("\\s+")).collect(Collectors.toSet());
        List<String> present = new ArrayList<>(), missing = new ArrayList<>();
        for (String f : FLAGS) (flags.contains(f) ? present : missing).add(f);
        out.println("cpu flags   " + (present.isEmpty() ? "none of interest" : String.join(" ", present))
                + (missing.isEmpty() ? "" : "  (absent: " + String.join(" ", missing) + ")"));
        out.println("backends");
        Backends.describeAvailable().forEach(line -> out.println("  " + line));
        out.flush();
        return 0;
    }

    /** /proc/cpuinfo lines; empty where it does not exist (not Linux), and info then says "unknown". */
    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The value of the first "key : value" line with this key. */
    private static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) return line.substring(colon + 1).strip();
        }
        return "unknown";
    }
}
