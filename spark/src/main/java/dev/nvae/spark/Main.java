package dev.nvae.spark;

import dev.nvae.io.DecimalsAsTyped;
import dev.nvae.io.StderrFilter;
import dev.nvae.NvaeException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Entry point of the job jar: {@code spark-submit --class dev.nvae.spark.Main nvae-spark.jar generate|encode ...}.
 * Every failure ends as one line on stderr, {@code nvae-spark: <message>} (Spark's own log lines aside),
 * exit code 2 for a bad command line and 1 for a failed job; a task's error reaches it through Spark's
 * exception chain.
 */
@Command(name = "nvae-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"N-VAE jobs on Apache Spark: generate labelled samples, encode and score images."},
        subcommands = {GenerateJob.class, EncodeJob.class, AotTraining.class})
public final class Main implements Jobs {
    /** {@code --version}: the project version, filtered into version.properties by the Maven build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[]{"nvae-spark " + p.getProperty("version", "unknown"), "JDK " + Runtime.version()};
        }
    }

    private final Supplier<SparkSession> sessions;
    private CompletableFuture<SparkSession> starting;

    /** Jobs on the session {@code sessions} starts, on another thread, when a job first asks for it. */
    Main(Supplier<SparkSession> sessions) {
        this.sessions = sessions;
    }

    /** Jobs on a session that is already running (tests, and programs that embed the jobs). */
    Main(SparkSession running) {
        this.sessions = () -> running;
        this.starting = CompletableFuture.completedFuture(running);
    }

    public static void main(String[] args) {
        Main main = new Main(() -> {
            LocalDirs.check(new SparkConf(), System.getenv()); // else Spark ends the JVM (exit code 53) without our line
            return SparkSession.builder().appName("nvae " + String.join(" ", args)).getOrCreate();
        });
        int code;
        try {
            code = main.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        } finally {
            main.stopSession();
        }
        StderrFilter.drain(); // spark/local's stderr filter writes the last line a moment after us: it is out before we exit
        System.exit(code);
    }

    /** Runs one job on the session {@code sessions} gives (asked for only once a job's options are checked). */
    int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(this, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == GenerateJob.class) return cls.cast(new GenerateJob(Main.this));
                if (cls == EncodeJob.class) return cls.cast(new EncodeJob(Main.this));
                if (cls == AotTraining.class) return cls.cast(new AotTraining(Main.this));
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cmd.setOut(out);
        cmd.setErr(err);
        // A usage error is a failure like the others: one line (with where the usage is), exit code 1, as in nvae's CLI.
        cmd.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("nvae-spark: " + oneLine(e.getMessage()) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 1;
        });
        // Bytes the JVM's file-name encoding cannot decode arrive as U+FFFD: 'a\xe9' and 'a\xe8' would name one file.
        cmd.setExecutionStrategy(parsed -> {
            String undecodable = undecodableArgument(parsed);
            if (undecodable == null) return new CommandLine.RunLast().execute(parsed);
            parsed.commandSpec().commandLine().getErr().println("nvae-spark: " + undecodable);
            return 1;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("nvae-spark: " + asTyped(oneLine(message(e, sparkStopped())), parsed));
            if ("1".equals(System.getenv("NVAE_DEBUG"))) e.printStackTrace(c.getErr());
            return 1;
        });
        return cmd.execute(args);
    }

    /** The first option value holding U+FFFD, said with its flag and what to do; null if none does. */
    static String undecodableArgument(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                for (String v : o.stringValues()) {
                    if (v.indexOf('\uFFFD') < 0) continue;
                    String encoding = System.getProperty("sun.jnu.encoding", "the system's");
                    return o.longestName() + " " + v + ": holds U+FFFD (\uFFFD), what Java makes of bytes that are not valid "
                            + encoding + ": such a name would name another file; give the name in " + encoding
                            + ", or run under a locale of the name's encoding";
                }
            }
        }
        return null;
    }

    @Override
    public synchronized void startSession() {
        if (starting != null) return;
        starting = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                starting.complete(sessions.get());
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        }, "nvae-spark-session");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public SparkSession session() {
        startSession();
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NvaeException n) throw n;
            throw notStarted(e.getCause() != null ? e.getCause() : e, conf());
        }
    }

    @Override
    public synchronized boolean sessionReady() {
        return starting != null && starting.isDone() && !starting.isCompletedExceptionally();
    }

    @Override
    public SparkConf conf() {
        // Before the session exists its configuration is the one getOrCreate will read: the JVM's spark.*
        // properties (spark-submit and spark/local pass every setting that way).
        return sessionReady() ? session().sparkContext().conf() : new SparkConf();
    }

    @Override
    public Configuration hadoop() {
        if (sessionReady()) return session().sparkContext().hadoopConfiguration();
        // What Spark documents for its Hadoop configuration: Hadoop's own files, then every spark.hadoop.X as X.
        Configuration hadoop = new Configuration();
        for (scala.Tuple2<String, String> kv : conf().getAllWithPrefix("spark.hadoop.")) hadoop.set(kv._1(), kv._2());
        return hadoop;
    }

    /** Stops the session, once started (waiting for it to finish starting). */
    private void stopSession() {
        CompletableFuture<SparkSession> s;
        synchronized (this) {
            s = starting;
        }
        if (s == null) return;
        try {
            s.join().stop();
        } catch (CompletionException ignored) {
            // it never started: nothing to stop; the job has reported why
        }
    }

    /** Whether the session started and Spark has stopped it since (a cluster manager gave up on the application). */
    private boolean sparkStopped() {
        return sessionReady() && session().sparkContext().isStopped();
    }

    /**
     * {@link #message(Throwable)}, saying first that Spark stopped under the job when it did: a standalone master that never
     * answered stopped the session after a minute, and the job's line was "Block broadcast_0_piece0 does not exist".
     */
    static String message(Throwable e, boolean sparkStopped) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NvaeException) return t.getMessage();
        }
        return (sparkStopped ? "Spark stopped while the job ran (Spark's log above says why): " : "") + message(e);
    }

    /**
     * What the user reads: the first of our own errors in the cause chain (a task's error arrives wrapped
     * in Spark's exceptions), else the innermost message, labelled as what it is.
     */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NvaeException) return t.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof UncheckedIOException u && u.getCause() != null) root = u.getCause();
        return "job failed: " + root.getClass().getSimpleName() + ": " + root.getMessage() + " (NVAE_DEBUG=1 prints the stack trace)";
    }

    /**
     * The message with each decimal option's value as the user typed it ({@link DecimalsAsTyped}), as nvae's CLI echoes
     * it: the checks see only the number, so {@code --sigma 1e300} came back as "--sigma 1.0E300".
     */
    static String asTyped(String message, CommandLine.ParseResult parsed) {
        if (parsed == null) return message;
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        return DecimalsAsTyped.restore(message, last.matchedOptions().stream()
                .map(o -> new DecimalsAsTyped.Matched(o.longestName(), o.type(), o.stringValues())).toList());
    }

    /**
     * Why the session did not start, in one line: Spark's innermost reason, after the setting whose value it quotes
     * (spark.master's "Could not parse Master URL: 'nowhere'", a size's "Failed to parse byte string: abc" named none).
     */
    static NvaeException notStarted(Throwable e, SparkConf conf) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage());
        // Stopped as it started (a cluster manager gave up on it): Spark's message goes on to list where the context was made.
        int listing = why.indexOf(" This stopped SparkContext was created at:");
        if (listing >= 0) {
            return new NvaeException("Spark did not start: " + why.substring(0, listing)
                    + " (Spark's log above says why; NVAE_DEBUG=1 prints the stack trace)", e);
        }
        String setting = null;
        for (scala.Tuple2<String, String> kv : conf.getAll()) {
            String v = kv._2();
            if (v.length() < 2 || !(why.endsWith(": " + v) || why.contains("'" + v + "'") || why.contains("\"" + v + "\""))) continue;
            if (setting != null) { // two settings of the same value: neither is named
                setting = null;
                break;
            }
            setting = kv._1() + " " + v;
        }
        return new NvaeException("Spark did not start: " + (setting != null ? setting + ": " : "") + why
                + " (NVAE_DEBUG=1 prints the stack trace)", e);
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
