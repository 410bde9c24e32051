package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file as it travels to the executors: its bytes (in a broadcast), where it was read, and their
 * SHA-256, which names the model in each executor's cache ({@link ExecutorModels}).
 *
 * @param location the {@code --model} value: a local path or any URI Hadoop reads (hdfs://, s3a://, ...)
 */
record ShippedModel(String location, byte[] bytes, String sha256) implements Serializable {
    /** Model files are megabytes; a broadcast of more than this is not one. */
    private static final long MAX_BYTES = 1L << 30;

    /**
     * Reads the file on the driver; a job then {@link #open opens} it there at once, so that a missing or
     * damaged model fails the job before any task runs, with the file and the reason.
     */
    static ShippedModel read(String location, Configuration hadoop) {
        byte[] bytes;
        PathOption option = PathOption.literal("--model", location, hadoop, "one file");
        org.apache.hadoop.fs.Path path = option.path();
        FileSystem fs = option.fs();
        try {
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) throw new NvaeException("--model " + location + ": is a directory, not a model file");
            if (status.getLen() > MAX_BYTES) throw new NvaeException("--model " + location + ": " + status.getLen() + " bytes is not a model file");
            try (InputStream in = fs.open(path)) {
                bytes = in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new NvaeException("--model " + location + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new NvaeException("--model " + location + ": cannot read: " + e.getMessage());
        }
        return new ShippedModel(location, bytes, sha256(bytes));
    }

    /**
     * A fresh instance of the model. The bytes go through a private temporary file (deleted before this
     * returns) because model files are read by path; failures name {@link #location}.
     */
    LoadedModel open() {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("nvae-model-", ".safetensors");
            Files.write(tmp, bytes);
            return ModelFile.load(tmp);
        } catch (FormatException e) {
            throw new NvaeException("--model " + location + ": " + e.reason(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("--model " + location + ": cannot stage a copy to open: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file of the JVM's temp directory; nothing to do but leave it
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
