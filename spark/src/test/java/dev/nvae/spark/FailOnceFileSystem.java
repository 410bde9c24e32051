package dev.nvae.spark;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local file system under the scheme {@code failonce:}, which fails the next file created whose name
 * contains {@link #failNext}'s marker: its writes throw once it holds a few bytes, as when an executor is
 * lost while its task writes. Only the first such file fails; the task's retry writes normally.
 */
public final class FailOnceFileSystem extends RawLocalFileSystem {
    static final AtomicReference<String> failNext = new AtomicReference<>();

    @Override
    public URI getUri() {
        return URI.create("failonce:///");
    }

    @Override
    public String getScheme() {
        return "failonce";
    }

    /** Every file this file system creates is opened here (and in {@link #createOutputStream}). */
    @Override
    protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission) throws IOException {
        return failingIfChosen(f, super.createOutputStreamWithMode(f, append, permission));
    }

    @Override
    protected OutputStream createOutputStream(Path f, boolean append) throws IOException {
        return failingIfChosen(f, super.createOutputStream(f, append));
    }

    private static OutputStream failingIfChosen(Path f, OutputStream out) {
        String marker = failNext.get();
        if (marker == null || !f.getName().contains(marker) || !failNext.compareAndSet(marker, null)) return out;
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                fail(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                fail(len);
                out.write(b, off, len);
            }

            private void fail(int more) throws IOException {
                written += more;
                if (written > 16) throw new IOException("injected failure writing " + f.getName());
            }
        };
    }
}
