package dev.nvae.cli;

import dev.nvae.backend.Backends;
import dev.nvae.backend.CpuFeatures;
import dev.nvae.kernels.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show backends, vector width, CPU flags, JDK and processors.",
                "The CPU flags listed are those that decide which kernels run fast: FMA, AVX-512 subsets, bf16 and AMX."})
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
        out.println("cpu         " + CpuFeatures.description());
        Set<String> flags = CpuFeatures.flags();
        List<String> present = new ArrayList<>(), missing = new ArrayList<>();
        for (String f : FLAGS) (flags.contains(f) ? present : missing).add(f);
        out.println("cpu flags   " + (present.isEmpty() ? "none of interest" : String.join(" ", present))
                + (missing.isEmpty() ? "" : "  (absent: " + String.join(" ", missing) + ")"));
        out.println("backends");
        Backends.describeAvailable().forEach(line -> out.println("  " + line));
        out.flush();
        return 0;
    }
}
