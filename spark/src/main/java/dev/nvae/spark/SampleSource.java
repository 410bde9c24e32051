package dev.nvae.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code generate}'s samples as a Spark data source, so that Spark's Parquet writer reads them as its own
 * rows ({@link InternalRow}s holding each image's bytes as they were encoded). Through
 * {@code createDataFrame(JavaRDD<Row>, schema)} every row was first converted from an external {@code Row}:
 * a quarter of a oneDNN task's Java time in a 10^6-sample job. (Spark's file writer still projects each row
 * into its compact row format, and Parquet copies the image back out of it; no option turns that off.)
 *
 * <p>Spark makes a source from its class name and string options, so a job {@link #register registers}
 * what it reads — its schema, its partitions and the (serializable) factory of their readers — on the
 * driver under a fresh id, passes the id as the option {@code job}, and {@link #unregister unregisters}
 * it when written.
 */
public final class SampleSource implements TableProvider {
    /** What one job reads: one partition per range of sample indices. */
    record Job(StructType schema, List<? extends InputPartition> partitions, PartitionReaderFactory readers) {
    }

    private static final Map<String, Job> JOBS = new ConcurrentHashMap<>();

    public SampleSource() {
    }

    static String register(Job job) {
        String id = UUID.randomUUID().toString();
        JOBS.put(id, job);
        return id;
    }

    static void unregister(String id) {
        JOBS.remove(id);
    }

    private static Job job(String id) {
        Job job = id == null ? null : JOBS.get(id);
        if (job == null) throw new IllegalArgumentException("no generate job '" + id + "' on this driver");
        return job;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return job(options.get("job")).schema();
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        Job job = job(properties.get("job"));
        return new Samples(job);
    }

    /** The job's samples as a table that supports batch reads: its one scan has the job's partitions. */
    private record Samples(Job job) implements Table, SupportsRead, ScanBuilder, Scan, Batch {
        @Override
        public String name() {
            return "nvae generate";
        }

        @Override
        public StructType schema() {
            return job.schema();
        }

        @Override
        public Set<TableCapability> capabilities() {
            return Set.of(TableCapability.BATCH_READ);
        }

        @Override
        public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
            return this;
        }

        @Override
        public Scan build() {
            return this;
        }

        @Override
        public StructType readSchema() {
            return job.schema();
        }

        @Override
        public Batch toBatch() {
            return this;
        }

        @Override
        public InputPartition[] planInputPartitions() {
            return job.partitions().toArray(new InputPartition[0]);
        }

        @Override
        public PartitionReaderFactory createReaderFactory() {
            return job.readers();
        }
    }
}
