package dev.nvae.bench;

import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;

import java.util.Locale;

/**
 * Where a training step's time goes: the step of {@link TrainingStep} timed by phase, and the backend's
 * share of forward+backward by operation — what a closing note needs to name the bound that blocks a
 * throughput target. Not a JMH benchmark (the timers would perturb JMH's own); a warm-up round, then a
 * measured round of the same length.
 * Usage: java ... -cp bench/target/benchmarks.jar dev.nvae.bench.StepProfile [backend] [steps] [threads] [arch] [fp32|bf16]
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        String backend = args.length > 0 ? args[0] : "onednn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String arch = args.length > 3 ? args[3] : "mlp";
        Precision precision = Precision.parse(args.length > 4 ? args[4] : "fp32");
        try (TimedBackend be = new TimedBackend(Backends.create(backend, threads, precision, Backends.Use.TRAINING, System.err::println));
             TrainingStep step = new TrainingStep(be, 128, arch)) {
            long[] phases = new long[TrainingStep.PHASES.length];
            for (int i = 0; i < steps; i++) step.run();  // warm-up: JIT, primitives, caches
            be.clear();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step.run(phases);
            double stepUs = (System.nanoTime() - t0) / 1e3 / steps;
            System.out.printf(Locale.ROOT, "%s, %s %s, %d threads: %.0f us per step of %d = %.0f examples/s%n",
                    arch, be.name(), be.precision().label(), be.threads(), stepUs, step.batch(), step.batch() / stepUs * 1e6);
            long ops = 0;
            for (long n : be.nanos) ops += n;
            for (int i = 0; i < phases.length; i++) {
                System.out.printf(Locale.ROOT, "  %-24s %7.0f us  %5.1f%%%n", TrainingStep.PHASES[i], phases[i] / 1e3 / steps, 100.0 * phases[i] / 1e3 / steps / stepUs);
                if (i == 2) {
                    for (int op = 0; op < be.nanos.length; op++) {
                        if (be.calls[op] == 0) continue;
                        System.out.printf(Locale.ROOT, "    %-22s %7.0f us  %5.1f%%  (%d calls)%n", TimedBackend.OPERATIONS[op],
                                be.nanos[op] / 1e3 / steps, 100.0 * be.nanos[op] / 1e3 / steps / stepUs, be.calls[op] / steps);
                    }
                    double java = (phases[2] - ops) / 1e3 / steps;
                    System.out.printf(Locale.ROOT, "    %-22s %7.0f us  %5.1f%%%n", "loss, heads (Java)", java, 100.0 * java / stepUs);
                }
            }
        }
    }
}
