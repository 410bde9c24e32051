package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.Scorer;
import dev.nvae.data.DataSources;
import dev.nvae.data.Split;
import dev.nvae.model.LatentModel;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "encode", aliases = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode and score images in parallel: Parquet in, Parquet out, a row per image.",
                "Columns: index, label; predicted, probability and class (an N-VAE); the",
                "posterior means and log-variances as float arrays: mu_s, logvar_s and the",
                "predicted class's mu_c, logvar_c (a baseline: mu_z, logvar_z); neg_elbo (one",
                "posterior sample) and, with --iw K, iwae_nll.",
                "The rows equal `nvae encode` on the same images, and the means of neg_elbo",
                "and iwae_nll equal `nvae evaluate`: every draw comes from (seed, row index)."})
final class EncodeJob implements Callable<Integer> {
    static final class Input {
        @Option(names = "--input", paramLabel = "PATH", required = true,
                description = "Parquet file or directory (a local path or any URI Hadoop reads), or a glob of them ('lake/day=*/*.parquet').")
        String parquet;

        @Option(names = "--data", paramLabel = "D", required = true,
                description = "fashion-mnist, testdata, or a directory of IDX/NPY files or class folders, read on the "
                        + "driver (what `nvae encode --data` reads); with --split.")
        String data;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", required = true, description = "Model file: a local path or any URI Hadoop reads.")
    String model;

    @ArgGroup(multiplicity = "1")
    Input input;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "With --data: train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--image-col", paramLabel = "C", defaultValue = "image",
            description = "With --input: the images (binary: uint8, float32 or PNG; or array<float>). Default: ${DEFAULT-VALUE}.")
    String imageCol;

    @Option(names = "--label-col", paramLabel = "C",
            description = "With --input: the true classes (integers). Without it an N-VAE's neg_elbo is the bound summed over the classes (as for unlabelled images), and --iw needs it.")
    String labelCol;

    @Option(names = "--index-col", paramLabel = "C",
            description = "With --input: integers naming the rows (and their noise); default: the row's position in the input.")
    String indexCol;

    @Option(names = "--neg-elbo", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Score neg_elbo (one posterior sample per row; an N-VAE's row without a class gets the bound summed over the classes). "
                    + "--no-neg-elbo: encodings only (the neg_elbo column stays, null, so that both runs' files have one schema).")
    boolean negElboWanted;

    @Option(names = "--iw", paramLabel = "K", defaultValue = "0", description = "Importance samples for iwae_nll; 0: none. Default: ${DEFAULT-VALUE}.")
    int iw;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--partitions", paramLabel = "P", description = "Tasks, at most one per row. Default: the input's partitions (--data: spark.default.parallelism).")
    Integer partitions;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Parquet directory to create (must not exist).")
    String out;

    @Mixin
    ComputeOptions compute;

    private final Jobs jobs;

    /** Importance samples per row at most: a task holds BATCH × K weights (80 MB at this bound). */
    static final int MAX_IW = 10_000;

    EncodeJob(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Integer call() {
        if (iw < 0) throw new NvaeException("--iw " + iw + " must be >= 0");
        if (iw > MAX_IW) {
            throw new NvaeException("--iw " + iw + " must be at most " + MAX_IW + " (a task holds " + EncodePartition.BATCH
                    + " rows' importance weights at once)");
        }
        if (input.data == null && spec.commandLine().getParseResult().hasMatchedOption("--split")) {
            throw new NvaeException("--split chooses a split of --data; a Parquet --input is read whole");
        }
        if (partitions != null && partitions < 1) throw new NvaeException("--partitions " + partitions + " must be at least 1");
        if (input.data != null) {
            // Read on the driver as one local directory: a pattern there said only that no such directory exists.
            char glob = PathOption.globCharacter(input.data);
            if (glob != 0 && !java.nio.file.Files.exists(java.nio.file.Path.of(input.data))) {
                throw new NvaeException("--data " + input.data + ": a glob pattern ('" + glob + "'); --data names one directory"
                        + " (only --input takes a pattern)");
            }
            for (String flag : List.of("--image-col", "--label-col", "--index-col")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(flag)) throw new NvaeException(flag + " reads a Parquet --input, not --data");
            }
        }
        jobs.startSession(); // Spark starts on another thread while this one reads the model and the data
        TaskCompute tasks = compute.resolve(jobs.conf());
        ShippedModel shipped = ShippedModel.read(model, jobs.hadoop());
        ModelConfig c;
        List<String> classNames;
        dev.nvae.data.Dataset set;
        boolean labelled = input.data != null || labelCol != null;
        // Without classes an N-VAE's neg_elbo is its bound summed over them (evaluate's); a CVAE has none.
        boolean negElbo;
        LoadedModel m = shipped.open();
        try {
            c = m.model().config();
            classNames = new ArrayList<>(m.classNames());
            set = input.data != null ? dataset(c) : null;
            boolean cvae = c.isConditional() && !c.hasClassifier();
            negElbo = negElboWanted && (labelled || !cvae);
            if (labelCol != null && c.labelFree()) {
                throw new NvaeException("--label-col " + labelCol + ": a label-free model's classes are its clusters, not the data's; "
                        + "leave it out (each row gets the bound summed over the clusters)");
            }
            if (iw > 0 && c.labelFree()) {
                throw new NvaeException("--iw " + iw + ": " + Evaluator.IWAE_LABEL_FREE);
            }
            if (!labelled && c.isConditional()) {
                if (iw > 0) throw new NvaeException("--iw " + iw + ": iwae_nll of a " + c.model() + " needs the true class: give --label-col");
                if (cvae) throw new NvaeException("--label-col: a " + c.model() + " encodes with the class; give the column of true classes");
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        ExecutorModels.keep(jobs.conf(), shipped, m);
        SparkSession spark = jobs.session();
        JobOutput output = JobOutput.check(out, spark);
        if (input.parquet != null) output.refuseOverlap(input.parquet, spark);
        // --data is read on the driver from a local directory (a built-in source's name aside): a class folder's
        // directory took an --out inside it for one more class.
        if (input.data != null && !List.of("testdata", "fashion-mnist").contains(input.data) && java.nio.file.Files.exists(java.nio.file.Path.of(input.data))) {
            output.refuseOverlap("--data", input.data, java.nio.file.Path.of(input.data).toAbsolutePath().toUri().toString(), spark);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Rows of (index, label or null, image value), in input order.
        JavaRDD<Row> rows = set != null ? rows(jsc, set, c) : fromParquet(spark, c, classNames.size());
        Broadcast<ShippedModel> broadcast = jsc.broadcast(shipped);
        List<Scorer.Block> blocks;
        try (LatentModel probe = LatentModel.forInference(c); Scorer s = new Scorer(probe, 1, false, 0)) {
            blocks = s.blocks();
        }
        EncodePartition work = new EncodePartition(broadcast, tasks, new ImageColumn(input.data != null ? "--data" : "--image-col",
                input.data != null ? "image" : imageCol, c.channels(), c.height(), c.width()), labelCol == null ? "--data" : "--label-col " + labelCol,
                c.hasClassifier() ? classNames : null, negElbo, iw, seed);
        Dataset<Row> frame = spark.createDataFrame(rows.mapPartitions(work), schema(c, blocks, iw > 0));
        try {
            output.write(frame, Map.of());
        } catch (RuntimeException e) {
            if (input.parquet == null || unreadable(e) == null) throw e;
            throw unreadableInput(e);
        }
        broadcast.destroy();
        spec.commandLine().getOut().printf("wrote %s%n", out);
        return 0;
    }

    /** index, label, [predicted, probability, class,] one array per latent block, neg_elbo, [iwae_nll]. */
    static StructType schema(ModelConfig c, List<Scorer.Block> blocks, boolean iwae) {
        StructType s = new StructType().add("index", DataTypes.LongType, false).add("label", DataTypes.IntegerType, true);
        if (c.hasClassifier()) {
            s = s.add("predicted", DataTypes.IntegerType, false).add("probability", DataTypes.DoubleType, false)
                    .add("class", DataTypes.StringType, false);
        }
        for (Scorer.Block b : blocks) s = s.add(b.name(), DataTypes.createArrayType(DataTypes.FloatType, false), false);
        s = s.add("neg_elbo", DataTypes.DoubleType, true);
        if (iwae) s = s.add("iwae_nll", DataTypes.DoubleType, true);
        return s;
    }

    /** The split, read here on the driver and checked against the model. */
    private dev.nvae.data.Dataset dataset(ModelConfig c) {
        dev.nvae.data.Dataset set = DataSources.load(input.data, Split.parse(split));
        if (set.channels() != c.channels() || set.height() != c.height() || set.width() != c.width()) {
            throw new NvaeException("--data " + input.data + ": images are " + set.channels() + "x" + set.height() + "x" + set.width()
                    + " but the model was trained on " + c.channels() + "x" + c.height() + "x" + c.width());
        }
        if (c.lacksClassesOf(set.numClasses())) {
            throw new NvaeException("--data " + input.data + ": " + set.numClasses() + " classes but the model has " + c.numClasses());
        }
        return set;
    }

    /** The split as rows of (index, label, uint8 pixels), in as many slices as asked. */
    private JavaRDD<Row> rows(JavaSparkContext jsc, dev.nvae.data.Dataset set, ModelConfig c) {
        List<Row> list = new ArrayList<>(set.count());
        for (int i = 0; i < set.count(); i++) {
            byte[] pixels = new byte[set.dim()];
            float[] x = set.image(i);
            for (int j = 0; j < pixels.length; j++) pixels[j] = (byte) Math.round(x[j] * 255f);
            // No class where the example has none, nor for a label-free model, whose classes are clusters.
            list.add(RowFactory.create((long) i, set.hasLabel(i) && !c.labelFree() ? set.label(i) : null, pixels));
        }
        // No more slices than rows: asked for 100,000 on a test split, Spark started a task for each empty one.
        int slices = partitions != null ? (int) Math.min(partitions, Math.max(1, list.size())) : jsc.defaultParallelism();
        return jsc.parallelize(list, slices);
    }

    /** The Parquet input's columns checked here (names and types), then its rows numbered or indexed. */
    private JavaRDD<Row> fromParquet(SparkSession spark, ModelConfig c, int classes) {
        PathOption option = PathOption.of("--input", input.parquet, spark.sparkContext().hadoopConfiguration());
        Path path = option.path();
        FileSystem fs = option.fs();
        try {
            // A glob, as Spark's Parquet reader takes it: the files and directories it matches, each checked as one given.
            boolean glob = PathOption.globCharacter(input.parquet) != 0;
            FileStatus[] matched = glob ? fs.globStatus(path) : fs.exists(path) ? new FileStatus[]{fs.getFileStatus(path)} : null;
            if (matched == null || matched.length == 0) {
                throw new NvaeException("--input " + input.parquet + ": " + (glob ? "no file or directory matches the pattern" : "no such file or directory"));
            }
            // A single file that is no Parquet failed only in a task, in Spark's words, naming no option.
            for (FileStatus status : matched) {
                if (!status.isFile()) continue;
                byte[] magic = new byte[4];
                try (var in = fs.open(status.getPath())) {
                    if (status.getLen() < 12 || in.read(magic) != 4 || !"PAR1".equals(new String(magic, StandardCharsets.US_ASCII))) {
                        throw new NvaeException("--input " + input.parquet + ": " + (glob ? status.getPath().getName() + " is not" : "not")
                                + " a Parquet file (it does not start with PAR1)");
                    }
                }
            }
        } catch (IOException e) {
            throw new NvaeException("--input " + input.parquet + ": " + e.getMessage());
        }
        Dataset<Row> frame;
        try {
            // Parquet writes a checksum of every page but reads them unchecked by default: a changed byte in an image
            // was read as a changed pixel and scored without a word. Pages written without one are read as they are.
            frame = spark.read().option("parquet.page.verify-checksum.enabled", "true").parquet(input.parquet);
        } catch (Exception e) { // Spark's AnalysisException and SparkException are checked, thrown undeclared from Scala
            throw unreadableInput(e);
        }
        StructType schema = frame.schema();
        int image = column(schema, "--image-col", imageCol);
        new ImageColumn("--image-col", imageCol, c.channels(), c.height(), c.width()).checkType(schema.fields()[image].dataType());
        int label = labelCol == null ? -1 : integral(schema, "--label-col", labelCol);
        int index = indexCol == null ? -1 : integral(schema, "--index-col", indexCol);
        boolean array = !(schema.fields()[image].dataType() instanceof org.apache.spark.sql.types.BinaryType);
        String labelName = labelCol;
        if (index < 0) {
            return repartitioned(frame, frame.javaRDD().zipWithIndex().map(t -> normalise(t._1(), t._2(), image, array, label, labelName)));
        }
        String indexName = indexCol;
        // A row without an index has no number to be named by: its file and position there name it, which Parquet's
        // reader counts as it reads (metadataColumn finds them even where the input has a column named _metadata).
        Column metadata = frame.metadataColumn("_metadata");
        int at = schema.size();
        Dataset<Row> located = frame.select(functions.col("*"), metadata.getField("file_name"), metadata.getField("row_index"));
        return repartitioned(frame, located.javaRDD().map(r -> {
            if (r.isNullAt(index)) {
                throw new NvaeException("--index-col " + indexName + ": row " + r.getLong(at + 1) + " of " + r.getString(at) + " has no index (null)");
            }
            return normalise(r, ((Number) r.get(index)).longValue(), image, array, label, labelName);
        }));
    }

    /**
     * Into --partitions, but no more than the input has rows (counted first; a count reads no image): a shuffle into
     * 200,000 partitions of two rows ran empty tasks for minutes, and into 2,000,000,000 ran the driver out of memory.
     */
    private JavaRDD<Row> repartitioned(Dataset<Row> frame, JavaRDD<Row> rows) {
        if (partitions == null) return rows;
        long count;
        try {
            count = frame.count();
        } catch (Exception e) { // a file of the input that is no Parquet fails here first
            throw unreadableInput(e);
        }
        return rows.repartition((int) Math.min(partitions, Math.max(1, count)));
    }

    private NvaeException unreadableInput(Exception e) {
        String why = unreadable(e);
        return new NvaeException("--input " + input.parquet + ": " + (why != null ? why : "not readable as Parquet: " + e.getMessage()), e);
    }

    /**
     * An input Spark could not read, in the user's words: Spark's error class and SQL state and Parquet's
     * text ("is not a Parquet file (length is too low: 3)") named no option; null when the failure is another.
     */
    static String unreadable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NvaeException) return null; // our own refusal of a row, which Main reports as it is
            if (!(t instanceof SparkThrowable s) || s.getCondition() == null) continue;
            if (s.getCondition().equals("UNABLE_TO_INFER_SCHEMA")) return "no Parquet files in it";
            if (s.getCondition().startsWith("FAILED_READ_FILE")) {
                String file = s.getMessageParameters().getOrDefault("path", "a file");
                if (checksumFailed(t)) return file + " cannot be read as Parquet: its bytes do not match their checksum (the file changed after it was written)";
                return file + " cannot be read as Parquet (not a Parquet file, or a damaged one; NVAE_DEBUG=1 prints the stack trace)";
            }
        }
        return null;
    }

    /** Parquet's page checksum, or the file system's (Hadoop's .crc files beside local files, HDFS's blocks), refused the bytes. */
    private static boolean checksumFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChecksumException) return true;
            if (t instanceof ParquetDecodingException && String.valueOf(t.getMessage()).contains("CRC checksum")) return true;
        }
        return false;
    }

    private static Row normalise(Row r, long index, int image, boolean array, int label, String labelName) {
        Object pixels = array ? (r.isNullAt(image) ? null : r.getList(image)) : r.get(image);
        Integer y = null;
        if (label >= 0) {
            // No class: the bound summed over the classes, as README says (a CVAE, which has no classifier, is refused in the task).
            if (r.isNullAt(label)) return RowFactory.create(index, null, pixels);
            long v = ((Number) r.get(label)).longValue();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) { // it was cut to Integer.MAX_VALUE, and the refusal named that
                throw new NvaeException("--label-col " + labelName + ": row " + index + " holds class " + v + ", beyond any class index");
            }
            y = (int) v;
        }
        return RowFactory.create(index, y, pixels);
    }

    private static int column(StructType schema, String option, String name) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int i = names.indexOf(name);
        if (i < 0) throw new NvaeException(option + " " + name + ": no such column; the input has " + String.join(", ", names));
        return i;
    }

    private static int integral(StructType schema, String option, String name) {
        int i = column(schema, option, name);
        StructField f = schema.fields()[i];
        DataType t = f.dataType();
        if (!(t instanceof IntegralType)) throw new NvaeException(option + " " + name + ": a column of " + t.simpleString() + ", expected integers");
        return i;
    }
}
