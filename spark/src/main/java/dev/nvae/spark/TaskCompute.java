package dev.nvae.spark;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.model.LatentModel;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

import java.io.Serializable;

/**
 * The backend every task opens for itself: name and threads, resolved on the driver by {@link ComputeOptions}.
 * A backend holds worker threads (and for oneDNN native objects) that belong to one thread of control, so
 * it is per task, not shared; {@link #open} closes it when the task ends, however it ends.
 */
record TaskCompute(String backend, int threads) implements Serializable {
    /** A task's backend and model (borrowed from this JVM's cache), both closed or given back when the task ends. */
    record Opened(Backend backend, LatentModel model) {
    }

    Opened open(Broadcast<ShippedModel> model) {
        Backend be = Backends.create(backend, threads, notice -> { });
        closeWithTask(be);
        ExecutorModels.Lease lease = ExecutorModels.borrow(model.value());
        closeWithTask(lease);
        return new Opened(be, lease.model().model());
    }

    /** Closes {@code resource} when the running task completes or fails (at once outside a task). */
    static void closeWithTask(AutoCloseable resource) {
        TaskContext task = TaskContext.get();
        if (task == null) throw new IllegalStateException("not in a Spark task");
        task.addTaskCompletionListener((TaskCompletionListener) context -> {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + resource + ": " + e.getMessage(), e);
            }
        });
    }
}
