package dev.nvae.cli.serve;

import dev.nvae.NvaeException;
import dev.nvae.api.ComputeBackend;
import dev.nvae.cli.Interruption;
import dev.nvae.api.InvalidRequestException;
import dev.nvae.api.ModelException;
import dev.nvae.api.ModelInfo;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.Precision;
import dev.nvae.api.NvaeModel;
import dev.nvae.backend.Processors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nvae serve}: a model behind an HTTP server with JSON requests and replies. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a trained model over HTTP (loopback only, unless --bind).",
                "POST /sample {\"class\": \"Sandal\", \"n\": 16, \"sigma\": 1.0, \"seed\": 0}",
                "  answers a PNG grid (Accept: image/png), an NPY array (application/x-npy)",
                "  or JSON arrays (the default).",
                "POST /encode and POST /score take images as JSON {\"images\": [[...]]},",
                "  one PNG or an NPY array; labels as JSON \"labels\", or ?labels=1,2 or",
                "  ?class=Sandal; /score also takes iw and seed.",
                "GET /info and GET /health describe the model and the server.",
                "Errors: a status and one line of JSON naming the field. One access log line per request on stderr. "
                        + "SIGTERM stops it after the requests in flight."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", required = true, description = "Model file written by 'nvae train'.")
    Path model;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on. The server has no authentication: keep the default (loopback) unless "
                    + "something in front of it controls who connects. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto", description = "vector, onednn or auto. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--lanes", paramLabel = "L",
            description = "Requests computed at once, each on its own copy of the model. Default: the available processors (${DEFAULT-VALUE}).")
    int lanes = Runtime.getRuntime().availableProcessors();

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "Threads of each lane, at most the available processors: many small requests are served best by one "
                    + "thread per lane. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "fp32, or bf16: the layers' products on bf16 copies of the weights, made once per lane, accumulated "
                    + "in float32 (any CPU; a model with convolutions needs --backend onednn on a CPU with avx512_bf16 or amx_bf16). "
                    + "Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--queue", paramLabel = "Q", defaultValue = "64",
            description = "Requests that may wait for a lane; beyond that the server answers 503. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "16M", description = "Largest request body (k, M, G suffixes); larger is 413. Default: ${DEFAULT-VALUE}.")
    String maxBody;

    @Option(names = "--max-n", paramLabel = "N", defaultValue = "1000", description = "Largest n of one /sample. Default: ${DEFAULT-VALUE}.")
    int maxN;

    @Option(names = "--max-images", paramLabel = "N", defaultValue = "1000", description = "Most images of one /encode or /score. Default: ${DEFAULT-VALUE}.")
    int maxImages;

    @Option(names = "--max-iw", paramLabel = "K", defaultValue = "1000", description = "Most importance samples per image of one /score. Default: ${DEFAULT-VALUE}.")
    int maxIw;

    @Option(names = "--body-timeout", paramLabel = "S", defaultValue = "10",
            description = "Seconds a request's body may take to arrive once its headers are in; slower is 408 (headers that never end are dropped by the JDK's server after 25 s). Default: ${DEFAULT-VALUE}.")
    int bodyTimeout;

    @Option(names = "--compute-timeout", paramLabel = "S", defaultValue = "" + Limits.DEFAULT_COMPUTE_TIMEOUT_SECONDS,
            description = "Seconds a request may take from its admission to the end of its computation, waiting for a lane "
                    + "included; one cut off stops within a batch and is answered 503 (field compute). 0: no limit. Default: ${DEFAULT-VALUE}.")
    int computeTimeout;

    @Option(names = "--max-connections", paramLabel = "C", defaultValue = "256", description = "Open connections at most; one more is closed at once (the JDK's server does not queue it). Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--shutdown-grace", paramLabel = "S", defaultValue = "30",
            description = "On SIGTERM, seconds to let the requests in flight finish; one still computing then is cut off "
                    + "without an answer. Default: ${DEFAULT-VALUE}.")
    int grace;

    /** --precision as the API spells it; a bad value fails in one line naming the flag. */
    private Precision precision() {
        return switch (dev.nvae.backend.Precision.parse(precision)) {
            case FP32 -> Precision.FP32;
            case BF16 -> Precision.BF16;
        };
    }

    static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";

    /**
     * One carrier thread more than the lanes. A request computes on the virtual thread that handles it
     * (ComputeQueue), and computing holds that thread's carrier (a oneDNN call pins it; Java kernels never
     * yield), while the JVM gives virtual threads as many carriers as there are processors — the default
     * number of lanes. With every lane busy nothing was left to read a body, answer /health or refuse with
     * 503: connections waited 25 s and were dropped. Read when the JVM's first virtual thread starts, so it
     * is set before the server's; a value the user gave (-D) stays.
     */
    static void reserveCarrier(int lanes) {
        if (System.getProperty(CARRIERS) == null) {
            System.setProperty(CARRIERS, Integer.toString(Math.max(Runtime.getRuntime().availableProcessors(), lanes + 1)));
        }
    }

    /** picocli builds it. */
    public ServeCommand() {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Limits limits = limits();
        InetAddress address = address();
        if (Processors.usable(threads) < threads) {
            // As every command caps --threads (ComputeOptions): more per lane only take turns on the processors.
            err.println("warning: " + Processors.capped("--threads", threads));
            err.flush();
            threads = Processors.usable(threads);
        }
        reserveCarrier(lanes);
        NvaeModel open;
        try {
            open = NvaeModel.open(model, ModelOptions.defaults().withBackend(ComputeBackend.parse(backend))
                    .withThreads(threads).withLanes(lanes).withPrecision(precision()));
        } catch (InvalidRequestException e) {
            throw new NvaeException("--" + e.getMessage());
        } catch (ModelException e) {
            // The API words a flag as an option ("precision bf16: ..."); the library's own line names the flag.
            throw new NvaeException(e.getCause() instanceof NvaeException flagged ? flagged.getMessage() : e.getMessage(), e);
        }
        ModelServer server;
        try {
            server = ModelServer.start(open, new InetSocketAddress(address, port), limits, line -> {
                err.println(line);
                err.flush();
            });
        } catch (UncheckedIOException e) {
            open.close();
            // Either flag may be at fault: a port in use, or an address that is not this machine's.
            throw new NvaeException("--bind " + bind + " --port " + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Stopped by the signal hook, before it closes stderr: the lines of the last requests are written.
        Interruption.onSignal(() -> {
            int inFlight = server.inFlight();
            err.printf("nvae serve: stopping; letting %d %s in flight finish (up to %d s)%n", inFlight, inFlight == 1 ? "request" : "requests", grace);
            err.flush();
            server.stop(Duration.ofSeconds(grace));
            int cutOff = server.inFlight();
            if (cutOff > 0) {
                // Closing the model waits for its lanes, so for these requests' whole work: --shutdown-grace would
                // not bound the stop (an audit's SIGTERM with 2 s of grace took 16.7 s). The process ends now instead,
                // and the OS frees what the lanes hold.
                err.printf("nvae serve: %d %s still computing when the grace ran out, cut off without an answer%n",
                        cutOff, cutOff == 1 ? "request was" : "requests were");
            } else {
                open.close();
            }
            err.println("nvae serve: stopped");
            err.flush();
            stopped.countDown();
        });
        ModelInfo info = open.info();
        InetSocketAddress at = server.address();
        if (!address.isLoopbackAddress()) {
            err.println("nvae serve: warning: listening on " + address.getHostAddress() + ", beyond this machine; the server has no authentication");
        }
        err.printf(Locale.ROOT, "nvae serve: listening on http://%s:%d/ (%s: %s/%s %dx%d, %d classes; backend %s, %d %s x %s)%n",
                hostForUrl(at), at.getPort(), model.getFileName(), info.family(), info.architecture(), info.height(), info.width(),
                info.classNames().size(), info.backend(), info.lanes(), info.lanes() == 1 ? "lane" : "lanes", Processors.threads(info.threads()));
        err.flush();
        stopped.await();  // until SIGTERM (or Ctrl-C): the shutdown hook stops the server
        return 0;
    }

    private Limits limits() {
        require(lanes >= 1, "--lanes " + lanes + " must be at least 1");
        require(threads >= 1, "--threads " + threads + " must be at least 1");
        require(queue >= 0, "--queue " + queue + " must be 0 or more");
        require(maxN >= 1, "--max-n " + maxN + " must be at least 1");
        require(maxImages >= 1, "--max-images " + maxImages + " must be at least 1");
        require(maxIw >= 0, "--max-iw " + maxIw + " must be 0 or more");
        require(bodyTimeout >= 1, "--body-timeout " + bodyTimeout + " must be at least 1 second");
        require(computeTimeout >= 0, "--compute-timeout " + computeTimeout + " must be 0 (no limit) or more");
        require(maxConnections >= 1, "--max-connections " + maxConnections + " must be at least 1");
        require(grace >= 0, "--shutdown-grace " + grace + " must be 0 or more");
        require(port >= 0 && port <= 65535, "--port " + port + " must be in 0..65535");
        return new Limits(bytes(maxBody), maxN, maxImages, maxIw, Duration.ofSeconds(bodyTimeout), queue, maxConnections,
                Duration.ofSeconds(computeTimeout));
    }

    /** "16M" → 16·2^20; plain digits are bytes. */
    static long bytes(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) unit = 1L << 10;
        else if (t.endsWith("M")) unit = 1L << 20;
        else if (t.endsWith("G")) unit = 1L << 30;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Math.multiplyExact(Long.parseLong(digits), unit);
            if (v >= 1 && v <= Integer.MAX_VALUE - 8) return v;
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new NvaeException("--max-body " + text + ": expected a size from 1 byte to 2G, such as 16M");
    }

    private InetAddress address() {
        // InetAddress reads "" as the loopback address: an empty --bind (a shell variable that was not set) would
        // listen somewhere the user did not name.
        if (bind.isBlank()) {
            throw new NvaeException("--bind: " + (bind.isEmpty() ? "empty" : "blank") + "; give an address such as 127.0.0.1 or 0.0.0.0");
        }
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new NvaeException("--bind " + bind + ": not an address of this machine (" + e.getMessage() + ")");
        }
    }

    private static String hostForUrl(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new NvaeException(message);
    }
}
