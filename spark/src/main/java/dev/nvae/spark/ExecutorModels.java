package dev.nvae.spark;

import dev.nvae.model.LoadedModel;
import org.apache.spark.SparkConf;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models this JVM (an executor, or the driver in local mode) has opened, by SHA-256 of their file.
 * A model instance serves one task at a time — its passes keep per-call state — so each model has a pool
 * of idle instances: a task borrows one (opening a new instance only when every instance is busy) and
 * gives it back when it ends. The pool therefore holds at most as many instances as the executor runs
 * tasks at once, each opened once and reused by every later task and job of that model. They live as
 * long as the JVM; their native memory goes with it.
 */
final class ExecutorModels {
    private static final Map<String, Deque<LoadedModel>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();

    private ExecutorModels() {
    }

    /** A model borrowed for one task; {@link #close()} gives it back. */
    static final class Lease implements AutoCloseable {
        private final Deque<LoadedModel> pool;
        private LoadedModel model;

        private Lease(Deque<LoadedModel> pool, LoadedModel model) {
            this.pool = pool;
            this.model = model;
        }

        LoadedModel model() {
            if (model == null) throw new IllegalStateException("returned");
            return model;
        }

        @Override
        public void close() {
            if (model != null) pool.addFirst(model);
            model = null;
        }
    }

    static Lease borrow(ShippedModel shipped) {
        Deque<LoadedModel> pool = IDLE.computeIfAbsent(shipped.sha256(), k -> new ConcurrentLinkedDeque<>());
        LoadedModel model = pool.pollFirst();
        if (model == null) {
            model = shipped.open();
            OPENED.incrementAndGet();
        }
        return new Lease(pool, model);
    }

    /**
     * The instance the driver opened to check the model: in local mode the driver is the executor, so it
     * joins this JVM's pool when the pool has none of this model yet, and the first task does not open the
     * model again; otherwise (and on a cluster) it is closed.
     */
    static void keep(SparkConf conf, ShippedModel shipped, LoadedModel model) {
        String master = conf.get("spark.master", "");
        boolean local = master.equals("local") || master.startsWith("local[");
        Deque<LoadedModel> pool = IDLE.computeIfAbsent(shipped.sha256(), k -> new ConcurrentLinkedDeque<>());
        if (local && pool.isEmpty()) pool.addFirst(model);
        else model.close();
    }

    /** Instances opened by this JVM so far (for tests: opening is per concurrent task, not per task). */
    static int opened() {
        return OPENED.get();
    }
}
