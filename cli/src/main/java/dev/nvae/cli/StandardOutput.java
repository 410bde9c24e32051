package dev.nvae.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * {@code System.out} that remembers why a write failed. A PrintStream (and picocli's writer over it) swallows the
 * error, so a report printed to a full disk ({@code nvae info > /dev/full}) was lost with exit code 0;
 * {@link Main} asks {@link #failure} once the command is done.
 */
final class StandardOutput extends FilterOutputStream {
    private volatile IOException failure;

    private StandardOutput(OutputStream out) {
        super(out);
    }

    /** Replaces {@code System.out} (same charset) with one over this stream; call before picocli first asks for its writer. */
    static StandardOutput install() {
        StandardOutput stream = new StandardOutput(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(stream, true, System.out.charset()));
        return stream;
    }

    /** The first write to standard output that failed, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) failure = e;
        return e;
    }
}
