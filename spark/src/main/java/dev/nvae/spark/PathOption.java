package dev.nvae.spark;

import dev.nvae.NvaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.IOException;

/**
 * A path option's value ({@code --model}, {@code --input}, {@code --out}) as Hadoop reads it, refused in the job's
 * words: Hadoop's ("Can not create a Path from an empty string", "No FileSystem for scheme "foo"") named no option.
 */
record PathOption(Path path, FileSystem fs) {
    static PathOption of(String option, String value, Configuration hadoop) {
        if (value.isEmpty()) throw new NvaeException(option + " '': an empty path");
        Path path;
        try {
            path = new Path(value);
        } catch (IllegalArgumentException e) {
            throw new NvaeException(option + " " + value + ": " + e.getMessage());
        }
        try {
            return new PathOption(path, path.getFileSystem(hadoop));
        } catch (UnsupportedFileSystemException e) {
            throw new NvaeException(option + " " + value + ": no file system for the scheme " + path.toUri().getScheme());
        } catch (IOException e) {
            throw new NvaeException(option + " " + value + ": " + e.getMessage());
        }
    }
}
