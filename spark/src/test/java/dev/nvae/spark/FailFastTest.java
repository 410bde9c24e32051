package dev.nvae.spark;

import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails the job with one line naming the option and the reason, exit code 1: a missing or damaged
 * model before any task runs, a column of the wrong type before any task runs, a value of the wrong width
 * in the task that meets it; and no output directory is left behind.
 */
class FailFastTest {
    private static void failsWithOneLine(LocalSpark.Result r, Path out, String... parts) {
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "one line: " + lines);
        assertEquals(0, lines.getFirst().indexOf("nvae-spark: "), lines.getFirst());
        for (String part : parts) {
            assertFalse(lines.getFirst().indexOf(part) < 0, "'" + part + "' in: " + lines.getFirst());
        }
        assertFalse(Files.exists(out), "no output left: " + out);
    }

    /** Runs a job that must fail before any task starts. */
    private static LocalSpark.Result beforeAnyTask(Object... args) {
        return afterTasks(0, args);
    }

    /** Runs a job that must start exactly {@code tasks} tasks. */
    private static LocalSpark.Result afterTasks(int tasks, Object... args) {
        Counted c = counted(args);
        assertEquals(tasks, c.tasks(), "tasks run");
        return c.result();
    }

    /** Runs a job that must start at most {@code tasks} tasks. */
    private static LocalSpark.Result afterTasksAtMost(int tasks, Object... args) {
        Counted c = counted(args);
        assertTrue(c.tasks() <= tasks, "tasks run: " + c.tasks());
        return c.result();
    }

    private record Counted(LocalSpark.Result result, int tasks) {
    }

    /** Runs a job, counting the tasks it started. */
    private static Counted counted(Object... args) {
        LocalSpark.session();
        LocalSpark.drainEvents();
        int started = LocalSpark.TASKS_STARTED.get();
        LocalSpark.Result r = LocalSpark.job(args);
        LocalSpark.drainEvents();
        return new Counted(r, LocalSpark.TASKS_STARTED.get() - started);
    }

    @Test
    void aMissingModelFailsBeforeAnyTask() {
        Path missing = LocalSpark.dir().resolve("no-such-model.safetensors"), out = LocalSpark.dir().resolve("never-1");
        failsWithOneLine(beforeAnyTask("generate", "--model", missing, "--n", 10, "--out", out), out,
                "--model " + missing, "no such file");
    }

    /** Bytes the JVM cannot decode arrive as U+FFFD: '--out a\xe9' and '--out a\xe8' would be one output, as in nvae's CLI. */
    @Test
    void anArgumentTheJvmCouldNotDecodeIsRefusedBeforeAnyTask() {
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in UTF-8");
        Path out = LocalSpark.dir().resolve("a\uFFFD");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 10, "--out", out), out,
                "--out " + out + ": holds U+FFFD");
    }

    @Test
    void aDamagedModelFailsBeforeAnyTaskWithTheReason() throws IOException {
        byte[] whole = Files.readAllBytes(LocalSpark.model());
        Path truncated = LocalSpark.dir().resolve("truncated.safetensors"), out = LocalSpark.dir().resolve("never-2");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 1000));
        failsWithOneLine(beforeAnyTask("encode", "--model", truncated, "--data", "testdata", "--out", out), out,
                "--model " + truncated, "truncated");
    }

    /** Checked on the driver from the schema; the one task is Spark's own, reading the Parquet footer for the schema. */
    @Test
    void aMissingOrMistypedColumnFailsBeforeAnyScoringTaskNamingIt() {
        Path input = smallParquet();
        Path out = LocalSpark.dir().resolve("never-3");
        failsWithOneLine(afterTasks(1, "encode", "--model", LocalSpark.model(), "--input", input, "--image-col", "pixels", "--out", out),
                out, "--image-col pixels", "no such column", "image, name, short, label");
        failsWithOneLine(afterTasks(1, "encode", "--model", LocalSpark.model(), "--input", input, "--image-col", "name", "--out", out),
                out, "--image-col name", "a column of string");
        failsWithOneLine(afterTasks(1, "encode", "--model", LocalSpark.model(), "--input", input, "--image-col", "image",
                "--label-col", "name", "--out", out), out, "--label-col name", "expected integers");
    }

    @Test
    void aValueOfTheWrongWidthFailsTheJobNamingColumnAndRow() {
        Path input = smallParquet(), out = LocalSpark.dir().resolve("never-4");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--image-col", "short",
                "--out", out), out, "--image-col short: row 0 holds 10 values, not 784");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--label-col", "label",
                "--out", out), out, "--label-col label: row 1 holds class 12");
    }

    @Test
    void moreThreadsThanTaskCpusAndAnExistingOutputAreRefused() {
        Path out = LocalSpark.dir().resolve("never-5");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 10, "--threads", 2, "--out", out), out,
                "--threads 2 is more than spark.task.cpus (1)");
        Path existing = LocalSpark.dir();
        LocalSpark.Result r = beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 10, "--out", existing);
        assertEquals(1, r.code());
        assertEquals(List.of("nvae-spark: --out " + existing + ": already exists; the job writes a new directory"), r.errLines());
    }

    /** Values the model cannot read, and sizes a job cannot hold, named with the option (an audit found each passing or crashing). */
    @Test
    void pixelsOutsideZeroToOneAndOverlargeRequestsAreRefused() {
        Path out = LocalSpark.dir().resolve("never-6");
        StructType schema = new StructType().add("image", DataTypes.createArrayType(DataTypes.FloatType));
        Float[] image = new Float[784];
        Arrays.fill(image, 0.5f);
        image[3] = 255f;
        Path bright = LocalSpark.dir().resolve("bright-input");
        LocalSpark.session().createDataFrame(List.of(RowFactory.create((Object) image)), schema).coalesce(1).write().parquet(bright.toString());
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", bright, "--out", out), out,
                "--image-col image: row 0 holds 255.0 at position 3, outside [0, 1]");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", Long.MAX_VALUE, "--out", out), out,
                "--n " + Long.MAX_VALUE + ": more samples than a job can number");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", Long.MAX_VALUE, "--class", 3, "--out", out), out,
                "--n " + Long.MAX_VALUE + ": ", "a job draws at most");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", bright, "--iw", 100_000_000, "--out", out), out,
                "--iw 100000000 must be at most 10000");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", bright, "--split", "train", "--out", out), out,
                "--split chooses a split of --data");
    }

    /**
     * A decimal option's value is echoed as the user typed it, as nvae's CLI does (ErrorHandler.asTyped): the check that
     * refuses it sees only the number, and "--sigma 1e300" came back as "--sigma 1.0E300", "--sigma 0" as "--sigma 0.0".
     */
    @Test
    void aDecimalIsEchoedAsTyped() {
        Path out = LocalSpark.dir().resolve("never-9");
        for (String typed : List.of("1e300", "0", "-0.50", "1E3")) {
            for (String[] form : List.of(new String[] {"--sigma", typed}, new String[] {"--sigma=" + typed})) {
                List<Object> args = new java.util.ArrayList<>(List.of("generate", "--model", LocalSpark.model(), "--n", 1));
                args.addAll(List.of(form));
                args.addAll(List.of("--out", out));
                LocalSpark.Result r = beforeAnyTask(args.toArray());
                failsWithOneLine(r, out, "nvae-spark: --sigma " + typed + " must be a positive number up to 100");
                String rendered = String.valueOf(Double.parseDouble(typed));
                assertFalse(r.err().contains("--sigma " + rendered + " "), r.err());
            }
        }
    }

    /** Paths that cannot be what the option says fail before any task, naming the option (they failed in a task, in Spark's words). */
    @Test
    void aTextFileAsInputAndAFileAsOutputsParentAreRefusedNamingTheOption() throws IOException {
        Path text = Files.writeString(LocalSpark.dir().resolve("notes.txt"), "hello"), out = LocalSpark.dir().resolve("never-7");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", text, "--out", out), out,
                "--input " + text + ": not a Parquet file");
        Path under = text.resolve("sub");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 1, "--out", under), under,
                "--out " + under + ": ", "notes.txt is a file, not a directory");
    }

    /**
     * An --input directory without Parquet, or holding a file of other data, is named with the option and the file
     * (Spark's and Parquet's words reached the user: "job failed: AnalysisException: [UNABLE_TO_INFER_SCHEMA] ...",
     * "job failed: RuntimeException: file:.../b.txt is not a Parquet file (length is too low: 3)").
     */
    @Test
    void anInputDirectoryWithoutParquetOrWithAFileOfOtherDataIsNamed() throws IOException {
        Path out = LocalSpark.dir().resolve("never-9");
        Path empty = Files.createDirectories(LocalSpark.dir().resolve("empty-input"));
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", empty, "--out", out), out,
                "--input " + empty + ": no Parquet files in it");
        Path text = Files.createDirectories(LocalSpark.dir().resolve("text-input"));
        Files.writeString(text.resolve("a.txt"), "hi");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", text, "--out", out), out,
                "--input " + text + ": ", "a.txt cannot be read as Parquet");
        Path mixed = Files.createDirectories(LocalSpark.dir().resolve("mixed-input"));
        try (var parts = Files.list(smallParquet())) {
            Files.copy(parts.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow(), mixed.resolve("a.parquet"));
        }
        Files.writeString(mixed.resolve("b.txt"), "hi");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", mixed, "--out", out), out,
                "--input " + mixed + ": ", "b.txt cannot be read as Parquet");
        // The task that read a.parquet ran on after b.txt's had failed the job and wrote its attempt under --out after the
        // job had removed it: --out came back (and a later test found it). The job returns once no task runs. The status
        // tracker is fed by its own queue of the listener bus, which may not yet have delivered the task ends the job's
        // listener heard (a CI run on 2026-11-28 read a task still running): drain the bus before asking it.
        try {
            LocalSpark.session().sparkContext().listenerBus().waitUntilEmpty(10_000);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Spark's listener bus still busy after 10 s", e);
        }
        assertTrue(java.util.Arrays.stream(LocalSpark.session().sparkContext().statusTracker().getExecutorInfos())
                .allMatch(e -> e.numRunningTasks() == 0), "no task still running");
        assertFalse(Files.exists(out), "no output left: " + out);
        // The wait above once counted tasks before the listener bus had told of them all (returned at once), and the
        // a.parquet task made --out again a moment later: a later test found it. Nothing may come back after the job.
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(Files.exists(out), "no output made again after the job returned: " + out);
    }

    /**
     * A Parquet file whose page bytes changed after it was written (a bad disk, a copy mended by hand) fails naming
     * the file and the reason: Parquet writes a checksum of every page, and the job checks them as it reads (it read
     * the changed byte as a pixel and scored the image without a word).
     */
    @Test
    void aDamagedPageOfTheInputIsNamedNotRead() throws IOException {
        Path input = LocalSpark.dir().resolve("damaged-input"), out = LocalSpark.dir().resolve("never-damaged");
        byte[] image = new byte[784];
        Arrays.fill(image, (byte) 0x5A);
        StructType schema = new StructType().add("image", DataTypes.BinaryType);
        LocalSpark.session().createDataFrame(List.of(RowFactory.create((Object) image)), schema).coalesce(1).write()
                .option("compression", "none").option("parquet.enable.dictionary", "false").parquet(input.toString());
        Path file;
        try (var parts = Files.list(input)) {
            file = parts.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        int run = 0, at = -1;
        for (int i = 0; i < bytes.length && at < 0; i++) {
            run = bytes[i] == 0x5A ? run + 1 : 0;
            if (run == 400) at = i; // among the image's pixels
        }
        assertTrue(at > 0, "the pixels stand in the file as written");
        bytes[at] = 0x5B;
        Files.write(file, bytes);
        Path sidecar = file.resolveSibling("." + file.getFileName() + ".crc");
        String refused = file.getFileName() + " cannot be read as Parquet: its bytes do not match their checksum";
        // The tests' session writes through Hadoop's checksummed local file system, whose .crc file beside the data
        // catches the change first; without it (spark/local's raw file system, a copy) Parquet's page checksum must.
        assertTrue(Files.exists(sidecar), sidecar + " written");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--out", out), out, "--input " + input + ": ", refused);
        Files.delete(sidecar);
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--out", out), out, "--input " + input + ": ", refused);
    }

    /** A label beyond int's range is named as it is (it was reported as class 2147483647). */
    @Test
    void aLabelBeyondIntIsNamedAsItIs() {
        Path input = LocalSpark.dir().resolve("long-label-input"), out = LocalSpark.dir().resolve("never-10");
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("y", DataTypes.LongType);
        LocalSpark.session().createDataFrame(List.of(RowFactory.create(new byte[784], 4_294_967_297L)), schema).coalesce(1)
                .write().parquet(input.toString());
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--label-col", "y", "--out", out), out,
                "--label-col y: row 0 holds class 4294967297");
    }

    /**
     * --partitions beyond an --input's rows starts no empty tasks, as with --data (two rows asked into 200,000 partitions ran
     * over five minutes of empty tasks, 2,000,000,000 ran the driver out of memory; 1,000 here started 1,000 empty tasks).
     */
    @Test
    void partitionsBeyondAnInputsRowsStartNoEmptyTasks() {
        Path input = smallParquet(), out = LocalSpark.dir().resolve("partitions-capped");
        LocalSpark.Result r = afterTasksAtMost(6, "encode", "--model", LocalSpark.model(), "--input", input, "--image-col", "image",
                "--partitions", 1000, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertEquals(2, GenerateTest.rows(out).size());
    }

    /**
     * An --out that another writer makes between the job's check and its write is left as it is: Spark refuses to
     * write into it, and the failed write's cleanup deleted it with the other writer's files.
     */
    @Test
    void anOutputMadeByAnotherWriterAfterTheCheckIsNotDeleted() throws IOException {
        Path out = LocalSpark.dir().resolve("made-meanwhile");
        JobOutput output = JobOutput.check(out.toString(), LocalSpark.session());
        Path theirs = Files.writeString(Files.createDirectories(out).resolve("theirs.parquet"), "x");
        var frame = LocalSpark.session().createDataFrame(List.of(RowFactory.create(1)), new StructType().add("a", DataTypes.IntegerType));
        RuntimeException e = assertThrows(RuntimeException.class, () -> output.write(frame, Map.of()));
        assertTrue(Files.exists(theirs), "the other writer's file is kept");
        assertEquals("--out " + out + ": already exists; the job writes a new directory", Main.message(e));
    }

    /**
     * What the shutdown hook does when SIGTERM or Ctrl-C ends the JVM while a job writes: an uncommitted --out is removed
     * with its parents made for it, a committed one kept, and either is said (the job ended with exit code 143 and no
     * word of its output).
     */
    @Test
    void anInterruptedWriteSaysWhatBecameOfTheOutput() throws IOException {
        Path parent = LocalSpark.dir().resolve("interrupted-parent"), out = parent.resolve("out");
        JobOutput output = JobOutput.check(out.toString(), LocalSpark.session());
        Files.createDirectories(out.resolve("_temporary"));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        output.interrupted(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("nvae-spark: interrupted: removed the unfinished --out " + out + "\n", err.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(Files.exists(parent), "the parent made for --out is gone too");

        Path done = LocalSpark.dir().resolve("interrupted-done");
        JobOutput committed = JobOutput.check(done.toString(), LocalSpark.session());
        Files.createFile(Files.createDirectories(done).resolve("_SUCCESS"));
        err.reset();
        committed.interrupted(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("nvae-spark: interrupted after --out " + done + " was written whole; it is complete\n",
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(Files.exists(done.resolve("_SUCCESS")));
    }

    /**
     * A spark.task.cpus that is no positive whole number is named (the job's line was "job failed: NumberFormatException:
     * For input string: "abc"", or for 0 "--threads 0 must be at least 1", an option not given).
     */
    @Test
    void aTaskCpusThatIsNoPositiveNumberIsNamed() {
        for (String cpus : List.of("abc", "0")) {
            var e = assertThrows(dev.nvae.NvaeException.class, () -> new ComputeOptions().resolve(new org.apache.spark.SparkConf(false)
                    .set("spark.task.cpus", cpus)));
            assertEquals("spark.task.cpus " + cpus + ": expected a positive whole number of cores per task", e.getMessage());
        }
    }

    /** A failed job removes the missing parents of --out it made, as it removes --out (they were left behind, empty). */
    @Test
    void aFailedJobRemovesTheParentsOfOutItMade() throws IOException {
        Path kept = Files.createDirectories(LocalSpark.dir().resolve("kept-parent")), made = kept.resolve("made");
        Path out = made.resolve("also-made").resolve("out");
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", smallParquet(), "--image-col", "short",
                "--out", out), out, "--image-col short: row 0 holds 10 values");
        assertFalse(Files.exists(made), "no parent made for the job left: " + made);
        assertTrue(Files.isDirectory(kept), "a parent that was there is kept");
    }

    /**
     * An --out inside the --input through a symbolic link is refused, naming both options: the check compared the
     * paths as text, and the job wrote its output into the directory it read.
     */
    @Test
    void anOutputInsideTheInputThroughASymbolicLinkIsRefused() throws IOException {
        Path input = LocalSpark.dir().resolve("linked-input");
        LocalSpark.session().createDataFrame(List.of(RowFactory.create((Object) new byte[784])), new StructType().add("image", DataTypes.BinaryType))
                .coalesce(1).write().parquet(input.toString());
        Path link = Files.createSymbolicLink(LocalSpark.dir().resolve("link-to-input"), input), out = link.resolve("out");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", input, "--out", out), out,
                "--out " + out, "--input " + input);
        Path under = link.resolve("deeper").resolve("out");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", link, "--out", under), under,
                "--out " + under, "--input " + link);
    }

    /**
     * An --out inside a --data directory is refused as one inside an --input is: the job wrote its Parquet there, and a
     * directory of class folders then read the output as one more class ("class folder holds no .png or .pgm images").
     */
    @Test
    void anOutputInsideTheDataDirectoryIsRefused() throws IOException {
        Path data = Files.createDirectories(LocalSpark.dir().resolve("data-dir"));
        try (var files = Files.list(Path.of("../testdata/fashion-mnist-subset"))) {
            for (Path f : files.toList()) Files.copy(f, data.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = data.resolve("scores");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--data", data, "--out", out), out,
                "--out " + out + " overlaps --data " + data + ": a job never writes into its input");
    }

    /** A Parquet file given as --model (the job's --input or output) is named as such: it said "header length 1384...960 exceeds the limit". */
    @Test
    void aParquetFileAsModelIsNamed() throws IOException {
        Path part;
        try (var parts = Files.list(smallParquet())) {
            part = parts.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Path out = LocalSpark.dir().resolve("never-parquet-model");
        failsWithOneLine(beforeAnyTask("generate", "--model", part, "--n", 1, "--out", out), out,
                "--model " + part + ": is not a safetensors model file: it begins as a Parquet file");
    }

    /** A null in --index-col names the row, as other refusals of a row do (it said "a row has no index"). */
    @Test
    void aRowWithoutAnIndexIsNamed() throws IOException {
        Path input = LocalSpark.dir().resolve("null-index-input"), out = LocalSpark.dir().resolve("never-11");
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("id", DataTypes.LongType);
        LocalSpark.session().createDataFrame(List.of(RowFactory.create(new byte[784], 7L), RowFactory.create(new byte[784], null)), schema)
                .coalesce(1).write().parquet(input.toString());
        String file;
        try (var parts = Files.list(input)) {
            file = parts.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow().getFileName().toString();
        }
        failsWithOneLine(LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input, "--index-col", "id", "--out", out), out,
                "--index-col id: row 1 of " + file + " has no index (null)");
    }

    /** An empty path and a scheme no file system serves are named in the job's words (Hadoop's reached the user). */
    @Test
    void anEmptyPathAndAnUnknownSchemeAreNamedInTheJobsWords() {
        Path out = LocalSpark.dir().resolve("never-12");
        LocalSpark.Result r = beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 1, "--out", "");
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("nvae-spark: --out '': an empty path"), r.errLines());
        failsWithOneLine(beforeAnyTask("generate", "--model", "foo://x", "--n", 1, "--out", out), out,
                "--model foo://x: no file system for the scheme foo");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", "", "--out", out), out,
                "--input '': an empty path");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", "foo://x", "--out", out), out,
                "--input foo://x: no file system for the scheme foo");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 1, "--out", "foo://x"), out,
                "--out foo://x: no file system for the scheme foo");
    }

    /**
     * --model and --out name one file and one new directory: a glob there is refused naming the option (--out 'o*x' made a
     * directory of that name, which Spark's readers then take as a pattern; --model 'm.safe*' said "no such file").
     */
    @Test
    void aGlobInModelOrOutIsRefused() {
        Path out = LocalSpark.dir().resolve("globbed-o*x"), bracket = LocalSpark.dir().resolve("globbed-o[12]");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 1, "--out", out), out,
                "--out " + out + ": a glob pattern ('*'); --out names one new directory");
        failsWithOneLine(beforeAnyTask("generate", "--model", LocalSpark.model(), "--n", 1, "--out", bracket), bracket,
                "--out " + bracket + ": a glob pattern ('[')");
        String model = LocalSpark.model().toString().replace(".safetensors", ".safe*");
        failsWithOneLine(beforeAnyTask("generate", "--model", model, "--n", 1, "--out", out), out,
                "--model " + model + ": a glob pattern ('*'); --model names one file");
        // --data is one local directory read on the driver: a pattern said "... does not exist".
        Path data = LocalSpark.dir().resolve("data-*");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--data", data, "--out", out), out,
                "--data " + data + ": a glob pattern ('*'); --data names one directory (only --input takes a pattern)");
    }

    /**
     * --input takes a glob, as Spark's Parquet reader does: it was refused as "no such file or directory". A pattern that
     * matches nothing, or a file that is no Parquet, is named; an --out among the files it matches is refused.
     */
    @Test
    void anInputGlobReadsTheFilesItMatches() throws IOException {
        Path input = smallParquet(), out = LocalSpark.dir().resolve("from-glob");
        LocalSpark.Result r = LocalSpark.job("encode", "--model", LocalSpark.model(), "--input", input + "/*.parquet", "--out", out);
        assertEquals(0, r.code(), r.err());
        assertEquals(2, GenerateTest.rows(out).size());
        Path never = LocalSpark.dir().resolve("never-glob");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", input + "/*.nothing", "--out", never), never,
                "--input " + input + "/*.nothing: no file or directory matches the pattern");
        Path text = Files.createDirectories(LocalSpark.dir().resolve("glob-text"));
        Files.writeString(text.resolve("a.txt"), "hello");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", text + "/*.txt", "--out", never), never,
                "--input " + text + "/*.txt: ", "a.txt is not a Parquet file (it does not start with PAR1)");
        Path inside = input.resolve("out");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", LocalSpark.dir() + "/small-in*", "--out", inside),
                inside, "--out " + inside + " overlaps --input " + LocalSpark.dir() + "/small-in*");
        // An --out the pattern itself matches: the same --input read it as input on the next run.
        Path matching = LocalSpark.dir().resolve("small-input-scores");
        failsWithOneLine(beforeAnyTask("encode", "--model", LocalSpark.model(), "--input", LocalSpark.dir() + "/small-in*", "--out", matching),
                matching, "--out " + matching + " overlaps --input " + LocalSpark.dir() + "/small-in*");
    }

    /** A usage error is one line and exit code 1 like every other failure (it was two lines, exit 2). */
    @Test
    void aUsageErrorIsOneLine() {
        Path out = LocalSpark.dir().resolve("never-8");
        failsWithOneLine(LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", "NaN", "--out", out), out,
                "--n", "NaN", "(see 'nvae-spark generate --help')");
        failsWithOneLine(LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", 1, "--no-such-option", "--out", out), out,
                "--no-such-option");
    }

    /** -V printed nothing and exited 0, while every --help promised the version. */
    @Test
    void theVersionIsPrinted() {
        LocalSpark.Result r = LocalSpark.job("-V");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("nvae-spark "), r.out());
        assertFalse(r.out().contains("unknown"), r.out());
    }

    /** Two rows: image (784 floats), name (string), short (10 floats), label (0, then 12 — out of range). */
    private static synchronized Path smallParquet() {
        Path path = LocalSpark.dir().resolve("small-input");
        if (!Files.exists(path)) {
            StructType schema = new StructType().add("image", DataTypes.createArrayType(DataTypes.FloatType))
                    .add("name", DataTypes.StringType).add("short", DataTypes.createArrayType(DataTypes.FloatType))
                    .add("label", DataTypes.IntegerType);
            Float[] image = new Float[784], small = new Float[10];
            Arrays.fill(image, 0.5f);
            Arrays.fill(small, 0.5f);
            LocalSpark.session().createDataFrame(List.of(RowFactory.create(image, "a", small, 0), RowFactory.create(image, "b", small, 12)),
                    schema).coalesce(1).write().parquet(path.toString());
        }
        return path;
    }
}
