package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.analysis.PriorSampler;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw labelled samples from a trained model into Parquet, in parallel.",
                "The same samples, bit for bit, as `nvae sample` with the same seed and backend,",
                "whatever the partitions or executors: sample i's noise comes from (seed, i).",
                "Columns: index (long), label (int) and class (string; null for a model",
                "without classes), image: float32 little-endian bytes (4*C*H*W, row-major),",
                "or with --png an H x W 8-bit grey PNG."})
final class GenerateJob implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", required = true, description = "Model file: a local path or any URI Hadoop reads.")
    String model;

    @Option(names = "--n", paramLabel = "N", required = true, description = "Samples per class (with --class all), else samples.")
    long n;

    @Option(names = "--class", paramLabel = "k|all", description = "Class index or name, or all (N of each, class 0 first). Default: all.")
    String classChoice;

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "1.0", description = "Prior scale. Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--partitions", paramLabel = "P",
            description = "Tasks (ranges of whole batches of 1000 samples). Default: spark.default.parallelism.")
    Integer partitions;

    @Option(names = "--png", description = "Store each image as an H x W 8-bit grey PNG (the pixels `nvae sample --format idx` writes) instead of float32.")
    boolean png;

    @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "none",
            description = "Parquet compression: none, snappy, zstd, lz4_raw, gzip. Default: ${DEFAULT-VALUE}: float32 samples do not "
                    + "compress (100,000 took 303 MB with snappy, 300 MB raw), PNGs are compressed already.")
    String compression;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Parquet directory to create (must not exist).")
    String out;

    @Mixin
    ComputeOptions compute;

    private final Jobs jobs;

    /** Batches of samples are numbered by int in a job's plan (SampleRanges): at most this many samples. */
    static final long MAX_SAMPLES = (long) Integer.MAX_VALUE * PriorSampler.BATCH;

    GenerateJob(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Integer call() {
        if (!PriorSampler.validSigma(sigma)) throw new NvaeException("--sigma " + sigma + " " + PriorSampler.SIGMA_RANGE);
        if (partitions != null && partitions < 1) throw new NvaeException("--partitions " + partitions + " must be at least 1");
        if (!List.of("none", "uncompressed", "snappy", "zstd", "lz4_raw", "lz4", "gzip").contains(compression)) {
            throw new NvaeException("--compression " + compression + ": expected none, snappy, zstd, lz4_raw or gzip");
        }
        jobs.startSession(); // Spark starts on another thread while this one reads and opens the model
        TaskCompute tasks = compute.resolve(jobs.conf());
        ShippedModel shipped = ShippedModel.read(model, jobs.hadoop());
        SampleLabels labels;
        ModelConfig c;
        List<String> classNames;
        LoadedModel m = shipped.open();
        try {
            c = m.model().config();
            classNames = new ArrayList<>(m.classNames());
            if (!c.isConditional() && SampleLabels.namesOneClass(classChoice)) { // all, the default, is no --class
                throw new NvaeException(SampleLabels.notConditioned(classChoice, c.model()) + "; its samples have no label");
            }
            try {
                labels = SampleLabels.of(classChoice, n, classNames, c.isConditional());
            } catch (ArithmeticException overflow) {
                throw new NvaeException("--n " + n + ": more samples than a job can number (at most " + MAX_SAMPLES + " in all)");
            }
            if (labels.count() > MAX_SAMPLES) {
                throw new NvaeException("--n " + n + ": " + labels.count() + " samples; a job draws at most " + MAX_SAMPLES);
            }
            if (png && c.channels() != 1) {
                throw new NvaeException("--png: the model draws " + c.channels() + "-channel images; PNG values hold grey ones (leave out --png for float32)");
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        ExecutorModels.keep(jobs.conf(), shipped, m);
        SparkSession spark = jobs.session();
        JobOutput output = JobOutput.check(out, spark);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<long[]> ranges = SampleRanges.split(labels.count(), partitions != null ? partitions : jsc.defaultParallelism());
        Broadcast<ShippedModel> broadcast = jsc.broadcast(shipped);
        GeneratePartition readers = new GeneratePartition(broadcast, tasks, labels.perClass(), labels.classes(), labels.chosen(),
                c.isConditional() ? classNames : null, sigma, seed, png ? Images.PNG : Images.FLOAT32, c.channels(), c.height(), c.width());
        List<GeneratePartition.Range> parts = ranges.stream().map(r -> new GeneratePartition.Range(r[0], r[1])).toList();
        String job = SampleSource.register(new SampleSource.Job(schema(png ? Images.PNG : Images.FLOAT32, c), parts, readers));
        long started = System.nanoTime();
        try {
            Dataset<Row> frame = spark.read().format(SampleSource.class.getName()).option("job", job).load();
            output.write(frame, writerOptions(compression, spark.sparkContext().hadoopConfiguration()));
        } finally {
            SampleSource.unregister(job);
            broadcast.destroy();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // Fewer tasks than --partitions asked for: said, as a partition takes whole batches (the noise's unit).
        String fewer = partitions != null && ranges.size() < partitions
                ? " (of " + partitions + " asked: a partition takes whole batches of " + PriorSampler.BATCH + " samples)" : "";
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d samples in %d partition%s%s to %s in %.1f s (%.0f samples/s)%n",
                labels.count(), ranges.size(), ranges.size() == 1 ? "" : "s", fewer, out, seconds, labels.count() / seconds);
        return 0;
    }

    /** Parquet's row groups: 32 MB rather than parquet-mr's 128 MB, unless spark.hadoop.parquet.block.size says otherwise. */
    static final long ROW_GROUP_BYTES = 32L << 20;

    /**
     * The writer's settings. Columns of distinct values, image and index, are written plainly: the writer would
     * hash their values into a dictionary and then, finding it too large (or larger than the values), write them
     * plainly anyway (for the index that took 7% of the Java samples of a 10^6-sample job); label and class, a
     * few distinct values, keep their dictionaries.
     * Each task holds its open row group in memory; 128 MB groups of 3 KB images stay alive across many young
     * collections and are copied into the old generation, and full collections follow: 1.4 s of pauses in a
     * 10^6-sample job on 2 cores, 0.3 s with 32 MB groups (the job 14.0 s -> 11.5 s).
     */
    static Map<String, String> writerOptions(String compression, Configuration hadoop) {
        Map<String, String> options = new HashMap<>(Map.of("compression", compression,
                "parquet.enable.dictionary#image", "false", "parquet.enable.dictionary#index", "false"));
        if (hadoop.get("parquet.block.size") == null) options.put("parquet.block.size", Long.toString(ROW_GROUP_BYTES));
        return options;
    }

    /** index, label, class, image — the image's encoding and size in its column metadata. */
    static StructType schema(Images images, ModelConfig c) {
        Metadata meta = new MetadataBuilder().putString("encoding", images.tag)
                .putLong("channels", c.channels()).putLong("height", c.height()).putLong("width", c.width()).build();
        return new StructType()
                .add("index", DataTypes.LongType, false)
                .add("label", DataTypes.IntegerType, true)
                .add("class", DataTypes.StringType, true)
                .add("image", DataTypes.BinaryType, false, meta);
    }
}
