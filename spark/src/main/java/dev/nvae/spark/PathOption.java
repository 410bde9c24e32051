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
    /**
     * A path option that names one file or directory (--model, --out): a glob pattern is refused. Only --input takes one,
     * as Spark's Parquet reader does; an --out of that name was made, and Spark's readers then took it as a pattern.
     */
    static PathOption literal(String option, String value, Configuration hadoop, String names) {
        char glob = globCharacter(value);
        if (glob != 0) {
            throw new NvaeException(option + " " + value + ": a glob pattern ('" + glob + "'); " + option + " names " + names
                    + " (only --input takes a pattern)");
        }
        return of(option, value, hadoop);
    }

    /** The first character that makes {@code value} a Hadoop glob pattern ('*', '?', '[' or '{'), or 0 for a plain path. */
    static char globCharacter(String value) {
        for (char ch : value.toCharArray()) if ("*?[{".indexOf(ch) >= 0) return ch;
        return 0;
    }

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
