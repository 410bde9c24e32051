package dev.nvae.backend.onednn;

import java.util.ArrayList;
import java.util.List;

/**
 * Native objects in creation order, closed in reverse: every create is paired with its destroy
 * (every create paired with its destroy), and one failing destroy does not stop the others (it is rethrown at the end, with the
 * rest suppressed).
 */
final class Owned implements AutoCloseable {
    private final List<AutoCloseable> objects = new ArrayList<>();

    <T extends AutoCloseable> T add(T object) {
        objects.add(object);
        return object;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = objects.size() - 1; i >= 0; i--) {
            try {
                objects.get(i).close();
            } catch (Exception e) {
                if (failure == null) failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                else failure.addSuppressed(e);
            }
        }
        objects.clear();
        if (failure != null) throw failure;
    }

    /** Closes everything after a failed construction, attaching any destroy failure to {@code cause}. */
    void closeAfter(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
