package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import dev.nvae.random.Rng;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The library side of {@code bench/compare} for what the CLI has no command for: decode throughput and
 * single-decode latency of a model file, measured exactly as the peer script measures them (fresh prior
 * latents every batch, pixel probabilities out). Prints one JSON line.
 *
 * <pre>
 *   java ... dev.nvae.bench.Measure decode  MODEL BATCH SECONDS BACKEND THREADS [fp32|bf16]
 *   java ... dev.nvae.bench.Measure latency MODEL CALLS BACKEND THREADS [fp32|bf16] [fixed|fresh]
 * </pre>
 * {@code latency} decodes one fixed latent over and over, as the peer does ({@code fixed}, the default), or
 * a new prior latent before every call, drawn outside the timed region and cycling over the classes
 * ({@code fresh}): what a service decoding its users' requests sees.
 * At bf16 the backend holds the weights' bf16 copies, made once when the model is opened (as the CLI does).
 */
public final class Measure {
    public static void main(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("usage: Measure decode|latency ...");
        switch (args[0]) {
            case "decode" -> decode(Path.of(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]), args[4],
                    Integer.parseInt(args[5]), precision(args, 6));
            case "latency" -> latency(Path.of(args[1]), Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]), precision(args, 5),
                    args.length > 6 && args[6].equals("fresh"));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static Precision precision(String[] args, int i) {
        return Precision.parse(args.length > i ? args[i] : "fp32");
    }

    /** The backend at a precision, holding the model's weights. */
    private static Backend open(LoadedModel loaded, String backendName, int threads, Precision precision) {
        Backend be = Backends.create(backendName, threads, precision, Backends.Use.INFERENCE, System.err::println);
        be.adoptWeights(loaded.model().params());  // released when the backend closes
        return be;
    }

    /** Decoded samples per second at a batch size, over about {@code seconds} of steady state. */
    static void decode(Path file, int batch, double seconds, String backendName, int threads, Precision precision) {
        try (LoadedModel loaded = ModelFile.load(file); Backend be = open(loaded, backendName, threads, precision);
             PriorDecoder dec = new PriorDecoder(loaded.model(), batch)) {
            Rng rng = Rng.stream(0, 1);
            for (int i = 0; i < 50; i++) dec.decodePrior(be, rng, batch);
            long done = 0, t0 = System.nanoTime(), limit = (long) (seconds * 1e9);
            while (System.nanoTime() - t0 < limit) {
                dec.decodePrior(be, rng, batch);
                done += batch;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "{\"tool\": \"nvae\", \"backend\": \"%s\", \"precision\": \"%s\", \"batch\": %d, \"samples_per_s\": %.1f}%n",
                    be.name(), be.precision().label(), batch, done / secs);
        }
    }

    /** Wall time of one batch-1 decode (latents ready, probabilities out): median and spread. */
    static void latency(Path file, int calls, String backendName, int threads, Precision precision, boolean fresh) {
        try (LoadedModel loaded = ModelFile.load(file); Backend be = open(loaded, backendName, threads, precision);
             PriorDecoder dec = new PriorDecoder(loaded.model(), 1)) {
            Rng rng = Rng.stream(0, 2);
            dec.fillPrior(rng, 1);
            for (int i = 0; i < 20_000; i++) {
                if (fresh) dec.fillPrior(rng, 1, i);
                dec.decodeReady(be, 1);
            }
            long[] t = new long[calls];
            for (int i = 0; i < calls; i++) {
                if (fresh) dec.fillPrior(rng, 1, i);
                long t0 = System.nanoTime();
                dec.decodeReady(be, 1);
                t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "{\"tool\": \"nvae\", \"backend\": \"%s\", \"precision\": \"%s\", \"median_us\": %.2f, \"p10_us\": %.2f, \"p90_us\": %.2f}%n",
                    be.name(), be.precision().label(), t[calls / 2] / 1e3, t[calls / 10] / 1e3, t[9 * calls / 10] / 1e3);
        }
    }
}
