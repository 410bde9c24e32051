package dev.nvae.bench;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.api.SampleRequest;
import dev.nvae.api.Training;

import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of {@code nvae serve} on loopback, beside the same work done in-process through the API.
 * Not a test: it measures. It starts {@code ./nvae serve} as users do, sends {@code POST /sample} for 16 images
 * from 1, 4 and 16 concurrent clients (each phase bounded in requests and in time, so the run stops by itself),
 * then does the same requests in this JVM through {@link NvaeModel} with as many threads, and writes
 * bench/SERVE.md: requests/s, p50 and p99 latency, errors (which must be 0), the server's RSS before and after
 * each phase, and the HTTP overhead — how much lower the server's requests/s is than the API's. It also rewrites
 * the README's paragraph of figures (between two HTML comments) from the same run, unless {@code --out} sends the
 * table elsewhere. A run with errors writes neither.
 *
 * <pre>
 * ./nvae mvn -q -DskipTests package -pl cli,bench -am
 * bench/serve-load [--requests 800] [--seconds 60] [--clients 1,4,16] [--formats npy,png] [--backend auto] [--lanes L]
 * </pre>
 */
public final class ServeLoad {
    private final Map<String, String> opts;
    private final Path root;
    private final int n, requests, seconds, lanes, threads;
    private final String backend;
    private final List<Integer> clients;
    private final List<String> formats;

    private ServeLoad(Map<String, String> opts) {
        this.opts = opts;
        this.root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.n = Integer.parseInt(opts.getOrDefault("n", "16"));
        this.requests = Integer.parseInt(opts.getOrDefault("requests", "800"));
        this.seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        this.lanes = Integer.parseInt(opts.getOrDefault("lanes", Integer.toString(Runtime.getRuntime().availableProcessors())));
        this.threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        this.backend = opts.getOrDefault("backend", "auto");
        this.clients = Arrays.stream(opts.getOrDefault("clients", "1,4,16").split(",")).map(Integer::parseInt).toList();
        this.formats = List.of(opts.getOrDefault("formats", "npy,png").split(","));
    }

    /** One phase's figures. */
    record Figures(String where, String format, int clients, int ok, int errors, double seconds, double perSecond,
                   double p50Ms, double p99Ms, long rssBeforeKb, long rssAfterKb, String firstError) {
    }

    /** The options and what each defaults to; anything else is refused (a lone --help ran the whole benchmark). */
    static final String USAGE = "usage: bench/serve-load [--requests 800] [--seconds 60] [--clients 1,4,16] [--formats npy,png]"
            + " [--backend auto] [--lanes PROCESSORS] [--threads 1] [--n 16] [--model FILE (default: one trained here)]"
            + " [--out FILE (default bench/SERVE.md; the README's paragraph is rewritten only then)]";
    private static final java.util.Set<String> KEYS = java.util.Set.of("root", "n", "requests", "seconds", "lanes", "threads", "backend",
            "clients", "formats", "model", "out");

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || !KEYS.contains(key)) {
                System.err.println("serve-load: unknown option " + args[i] + " (bench/serve-load --help lists the options)");
                System.exit(2);
            }
            if (i + 1 == args.length) {
                System.err.println("serve-load: " + args[i] + " needs a value (bench/serve-load --help lists the options)");
                System.exit(2);
            }
            opts.put(key, args[i + 1]);
        }
        new ServeLoad(opts).run();
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("nvae-serve-load-");
        try {
            run(work);
        } finally {
            deleteTree(work);  // the model it trained and the server's log: nothing of the run stays in /tmp
        }
    }

    private void run(Path work) throws Exception {
        Path model = opts.containsKey("model") ? Path.of(opts.get("model")) : trainModel(work);
        List<Figures> http = new ArrayList<>(), api = new ArrayList<>();
        Server server = Server.start(root, model, backend, lanes, threads, work);
        String stopLine;
        try {
            log("server pid " + server.process.pid() + " on port " + server.port + ", RSS " + rssKb(server.process.pid()) / 1024 + " MB");
            for (String format : formats) {
                phase("warm-up", format, 4, Math.min(requests, 400), r -> Connection.local(server.port).sample(format, r), server.process.pid());
                for (int c : clients) {
                    Figures f = phase("http", format, c, requests, r -> Connection.local(server.port).sample(format, r), server.process.pid());
                    http.add(f);
                    log(f.toString());
                }
            }
        } finally {
            stopLine = server.stop();
        }
        ModelOptions options = ModelOptions.defaults().withBackend(ComputeBackend.parse(backend)).withThreads(threads).withLanes(lanes);
        try (NvaeModel m = NvaeModel.open(model, options)) {
            for (String format : formats) {
                phase("warm-up", format, 4, Math.min(requests, 400), r -> call(m, format, r), ProcessHandle.current().pid());
                for (int c : clients) {
                    Figures f = phase("api", format, c, requests, r -> call(m, format, r), ProcessHandle.current().pid());
                    api.add(f);
                    log(f.toString());
                }
            }
            write(http, api, server.info, stopLine, m.info().backend());
        }
    }

    /** One request's work: returns the status (200 for an in-process call that returned). */
    @FunctionalInterface
    interface Work {
        int run(SampleRequest r) throws Exception;
    }

    private Figures phase(String where, String format, int clients, int total, Work work, long pid) throws Exception {
        long rssBefore = rssKb(pid);
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger(), ok = new AtomicInteger(), errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                for (int i; (i = next.getAndIncrement()) < total && System.nanoTime() < deadline; ) {
                    SampleRequest r = new SampleRequest(i % 10, n, 1.0, i);
                    long s = System.nanoTime();
                    try {
                        int status = work.run(r);
                        if (status == 200) ok.incrementAndGet();
                        else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "status " + status);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    latencies[i] = System.nanoTime() - s;
                }
                Connection.closeLocal();
            }));
        }
        for (Thread t : threads) t.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        int done = Math.min(next.get(), total);
        long[] sorted = Arrays.copyOf(latencies, done);
        Arrays.sort(sorted);
        return new Figures(where, format, clients, ok.get(), errors.get(), secs, ok.get() / secs,
                percentile(sorted, 0.50), percentile(sorted, 0.99), rssBefore, rssKb(pid), firstError.get());
    }

    /**
     * A keep-alive HTTP/1.1 connection per load thread, as load generators (wrk, ab -k) keep them: a request
     * written in one go, the answer read by its Content-Length. Lighter than java.net.http, whose own cost per
     * request would otherwise count as the server's.
     */
    static final class Connection {
        private static final ThreadLocal<Map<Integer, Connection>> OPEN = ThreadLocal.withInitial(HashMap::new);
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final int port;

        private Connection(int port) throws IOException {
            this.port = port;
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Closes this thread's connections. */
        static void closeLocal() {
            for (Connection c : OPEN.get().values()) {
                try {
                    c.socket.close();
                } catch (IOException ignored) {
                    // closing: nothing to do about it
                }
            }
            OPEN.remove();
        }

        /** This thread's connection to {@code port}. */
        static Connection local(int port) throws IOException {
            Map<Integer, Connection> open = OPEN.get();
            Connection c = open.get(port);
            if (c == null) open.put(port, c = new Connection(port));
            return c;
        }

        int sample(String format, SampleRequest r) throws IOException {
            byte[] body = ("{\"class\": " + r.classIndex() + ", \"n\": " + r.count() + ", \"seed\": " + r.seed() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String head = "POST /sample HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nAccept: "
                    + mediaType(format) + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            out.write(request);
            out.flush();
            String status = line();
            long length = -1;
            for (String l; !(l = line()).isEmpty(); ) {
                if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Long.parseLong(l.substring(15).strip());
            }
            if (length < 0) throw new IOException("no Content-Length in the answer: " + status);
            in.skipNBytes(length);
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }
    }

    private static int call(NvaeModel m, String format, SampleRequest r) {
        byte[] out = format.equals("png") ? m.samplePng(r) : m.sampleNpy(r);
        return out.length > 0 ? 200 : 500;
    }

    private static String mediaType(String format) {
        return switch (format) {
            case "npy" -> "application/x-npy";
            case "png" -> "image/png";
            default -> throw new IllegalArgumentException("format " + format + ": npy or png");
        };
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** The reference mlp N-VAE, 1 epoch on the committed subset: its weights do not change the work, its shape does. */
    private Path trainModel(Path work) {
        Path model = work.resolve("model.safetensors");
        log("training a model to serve (the reference mlp, 1 epoch on testdata)");
        Training.on(root.resolve("testdata/fashion-mnist-subset")).epochs(1).backend(ComputeBackend.VECTOR).run(model);
        return model;
    }

    /** VmRSS of a process, kB; -1 if it cannot be read. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException gone) {
            // reported as -1
        }
        return -1;
    }

    private void write(List<Figures> http, List<Figures> api, String serverLine, String stopLine, String apiBackend) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# nvae serve under load\n\n");
        md.append("Written by `bench/serve-load` (").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("): `POST /sample` of ").append(n).append(" images on loopback, `").append(requests)
                .append("` requests per phase (at most ").append(seconds).append(" s), then the same requests through the Java API in one JVM ")
                .append("(`NvaeModel.sampleNpy`/`samplePng`, the work the server does for that `Accept`) with as many threads.\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append("Server: ").append(serverLine).append(". The load client — one keep-alive HTTP/1.1 connection per client thread, ")
                .append("as wrk or ab -k keep them — runs in the benchmark's JVM, on the same cores as the server.\n\n");
        md.append("| format | clients | server req/s | p50 ms | p99 ms | errors | server RSS before → after MB | API req/s | API p50 ms | API p99 ms | HTTP overhead |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < http.size(); i++) {
            Figures h = http.get(i), a = api.get(i);
            double overhead = 100 * (a.perSecond - h.perSecond) / a.perSecond;
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d | %d → %d | %.0f | %.2f | %.2f | %.0f%% |%n",
                    h.format, h.clients, h.perSecond, h.p50Ms, h.p99Ms, h.errors, h.rssBeforeKb / 1024, h.rssAfterKb / 1024,
                    a.perSecond, a.p50Ms, a.p99Ms, overhead));
        }
        md.append("\nHTTP overhead = (API req/s − server req/s) / API req/s, per row: what the request's way through HTTP costs ")
                .append("— the loopback round trip, the server's threads, parsing and writing, and the client — on the same cores. ")
                .append("In-process backend: ").append(apiBackend).append(".\n");
        int errors = http.stream().mapToInt(Figures::errors).sum() + api.stream().mapToInt(Figures::errors).sum();
        md.append("\nErrors over the run: ").append(errors).append(errors == 0 ? "" : " (first: " + http.stream().map(Figures::firstError)
                .filter(e -> e != null).findFirst().orElse("?") + ")").append(". SIGTERM at the end: `").append(stopLine).append("`.\n");
        md.append("\nCommand: `./nvae mvn -q -DskipTests package -pl cli,bench -am && bench/serve-load")
                .append(opts.entrySet().stream().filter(e -> !e.getKey().equals("root")).map(e -> " --" + e.getKey() + " " + e.getValue())
                        .reduce("", String::concat)).append("`\n");
        if (errors != 0) {
            System.out.print(md);
            throw new IllegalStateException(errors + " requests failed: neither bench/SERVE.md nor the README was written");
        }
        Path out = Path.of(opts.getOrDefault("out", root.resolve("bench/SERVE.md").toString()));
        replace(out, md.toString());
        log("wrote " + out);
        System.out.print(md);
        // The README quotes this run in a paragraph of its own, written here so that it cannot drift from the table.
        if (!opts.containsKey("out")) {
            Path readme = root.resolve("README.md");
            replace(readme, withParagraph(Files.readString(readme, StandardCharsets.UTF_8), readmeParagraph(http, api, apiBackend)));
            log("wrote the serve-load paragraph of " + readme);
        }
    }

    static final String README_BEGIN = "<!-- written by bench/serve-load: do not edit by hand -->";
    static final String README_END = "<!-- end of bench/serve-load -->";

    /** {@code readme} with the text between the markers replaced by {@code paragraph}. */
    static String withParagraph(String readme, String paragraph) {
        int begin = readme.indexOf(README_BEGIN), end = readme.indexOf(README_END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("README.md: no '" + README_BEGIN + "' ... '" + README_END + "' block to write the figures into");
        }
        return readme.substring(0, begin + README_BEGIN.length()) + "\n" + paragraph + readme.substring(end);
    }

    /** "1 lane", "2 lanes". */
    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** The README's summary of a run: the first and last client counts, both formats, the API beside the server. */
    private String readmeParagraph(List<Figures> http, List<Figures> api, String apiBackend) throws IOException {
        int few = clients.getFirst(), many = clients.getLast();
        StringBuilder p = new StringBuilder();
        p.append(String.format(Locale.ROOT, "Under load (`bench/serve-load`, which writes [bench/SERVE.md](bench/SERVE.md) and this paragraph; %s, %s, "
                + "%s of %s, the load client on the same cores): `POST /sample` of %d images", machineShort(), apiBackend, plural(lanes, "lane"),
                plural(threads, "thread"), n));
        List<String> byFormat = new ArrayList<>(), apiByFormat = new ArrayList<>();
        for (String format : formats) {
            Figures h1 = find(http, format, few), hn = find(http, format, many), a1 = find(api, format, few), an = find(api, format, many);
            byFormat.add(String.format(Locale.ROOT, "as %s at %s requests/s (p50 %s ms, p99 %s ms) from %s and %s/s (p50 %s ms, p99 %s ms) from %d",
                    format.toUpperCase(Locale.ROOT), count(h1.perSecond), ms(h1.p50Ms), ms(h1.p99Ms), plural(few, "client"), count(hn.perSecond), ms(hn.p50Ms), ms(hn.p99Ms), many));
            apiByFormat.add(String.format(Locale.ROOT, "%s/s and %s/s (%s; HTTP overhead %s%% and %s%%)", count(a1.perSecond), count(an.perSecond),
                    format.toUpperCase(Locale.ROOT), percent(overhead(h1, a1)), percent(overhead(hn, an))));
        }
        long rssLow = http.stream().mapToLong(Figures::rssBeforeKb).min().orElse(-1) / 1024;
        long rssHigh = http.stream().mapToLong(f -> Math.max(f.rssBeforeKb, f.rssAfterKb)).max().orElse(-1) / 1024;
        int errors = http.stream().mapToInt(Figures::errors).sum();
        p.append(" answered ").append(String.join(", ", byFormat)).append(String.format(Locale.ROOT,
                ", with %d errors and the server's RSS between %d and %d MB. The same requests through the API in one JVM, with as many threads, "
                        + "run at ", errors, rssLow, rssHigh)).append(String.join(", ", apiByFormat)).append(".");
        Figures h1 = find(http, formats.getFirst(), few), a1 = find(api, formats.getFirst(), few);
        p.append(String.format(Locale.ROOT, " From one client a %d-image %s takes %s ms (p50) to make in-process and %s ms more to ask for and carry over loopback.",
                n, formats.getFirst().toUpperCase(Locale.ROOT), ms(a1.p50Ms), ms(h1.p50Ms - a1.p50Ms)));
        return wrap(p.toString(), 115) + "\n";
    }

    private static Figures find(List<Figures> figures, String format, int clients) {
        return figures.stream().filter(f -> f.format.equals(format) && f.clients == clients).findFirst().orElseThrow();
    }

    private static double overhead(Figures http, Figures api) {
        return 100 * (api.perSecond - http.perSecond) / api.perSecond;
    }

    private static String count(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f", p);
    }

    /** Lines of at most {@code width} characters, broken at spaces. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > width) {
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    /** Writes {@code file} whole or not at all: a sibling temporary file moved over it. */
    private static void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /** "AMD EPYC, 2 cores, AVX-512": the host in a few words. */
    private static String machineShort() throws IOException {
        String model = "?";
        String isa = "";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") && model.equals("?")) model = line.substring(line.indexOf(':') + 1).strip();
            if (line.startsWith("flags") && isa.isEmpty()) {
                String flags = " " + line + " ";
                isa = flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2" : "no AVX2";
            }
        }
        // "Intel(R) Xeon(R) Processor" reads as "Intel Xeon Processor" in a sentence.
        return model.replaceAll("\\((R|TM|tm)\\)", "") + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + isa;
    }

    private static String machine() throws IOException {
        String model = "?";
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") && model.equals("?")) model = line.substring(line.indexOf(':') + 1).strip();
            if (line.startsWith("flags") && flags.isEmpty()) {
                for (String f : List.of("avx2", "avx512f", "avx512_bf16", "amx_tile")) if ((" " + line + " ").contains(" " + f + " ")) flags.add(f);
            }
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + String.join(" ", flags) + "; JDK "
                + System.getProperty("java.vm.version");
    }

    private static void log(String message) {
        System.err.println("serve-load: " + message);
    }

    /** {@code ./nvae serve} in a process of its own. */
    private record Server(Process process, int port, String info, Path stderr) {
        static Server start(Path root, Path model, String backend, int lanes, int threads, Path work) throws Exception {
            Path err = work.resolve("serve.err");
            List<String> cmd = List.of(root.resolve("nvae").toString(), "serve", "--model", model.toString(), "--port", "0",
                    "--backend", backend, "--lanes", Integer.toString(lanes), "--threads", Integer.toString(threads), "--queue", "256");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/ \\((.*)\\)");
            for (int i = 0; i < 1200; i++) {
                for (String line : Files.readAllLines(err)) {
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        return new Server(p, Integer.parseInt(m.group(1)),
                                "`nvae " + String.join(" ", cmd.subList(1, cmd.size())).replace(model.toString(), "M") + "` (" + m.group(2) + ")", err);
                    }
                }
                if (!p.isAlive()) throw new IllegalStateException("nvae serve exited: " + Files.readString(err));
                Thread.sleep(100);
            }
            p.destroyForcibly();
            throw new IllegalStateException("nvae serve did not start in 120 s: " + Files.readString(err));
        }

        /** SIGTERM, and what the server said last. */
        String stop() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "did not stop within 60 s";
            }
            List<String> lines = Files.readAllLines(stderr);
            return lines.isEmpty() ? "exit " + process.exitValue() : lines.getLast() + " (exit " + process.exitValue() + ")";
        }
    }
}
