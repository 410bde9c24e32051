package dev.nvae.analysis;

import dev.nvae.analysis.metrics.Mmd;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each latent block's draws compared with N(0, I) ({@link PosteriorDraws#divergence}). The blocks are independent (each
 * block's streams are its own), so several run at once, each on a thread of its own: as many as the caller's threads and
 * a third of the heap allow (the collector keeps kernels this large in its old generation), the same figures on any
 * number of threads. The progress hears of each block from the thread that compared it, one call at a time; a block
 * that fails ends the comparison at once with its own exception, and no block is told of after it.
 */
final class PriorComparisons {
    private final List<PosteriorDraws> draws;
    private final int cap;
    private final long seed;
    private final Evaluator.Progress progress;
    private final AtomicBoolean failed = new AtomicBoolean();
    private int done; // blocks told of; guarded by this

    PriorComparisons(List<PosteriorDraws> draws, int cap, long seed, Evaluator.Progress progress) {
        this.draws = draws;
        this.cap = cap;
        this.seed = seed;
        this.progress = progress;
    }

    /** Every block's divergence, in block order; {@code drawsPerBlock}: the most draws a block compares (sizes the heap). */
    PriorDivergence[] run(int threads, long drawsPerBlock) {
        int blocks = draws.size();
        PriorDivergence[] measured = new PriorDivergence[blocks];
        progress.blocksCompared(0, blocks);
        Runnable[] work = new Runnable[blocks];
        for (int b = 0; b < blocks; b++) {
            int block = b;
            work[b] = () -> {
                if (failed.get()) return; // another block failed: its error ends the evaluation, this one would be wasted
                try {
                    measured[block] = draws.get(block).divergence(cap, seed, block);
                    told(blocks);
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            };
        }
        long each = Mmd.heapBytes((int) (2 * drawsPerBlock));
        long fit = Math.max(1, Runtime.getRuntime().maxMemory() / 3 / Math.max(1, each));
        int parallel = (int) Math.min(Math.min(threads, blocks), fit);
        if (parallel <= 1) {
            for (Runnable r : work) r.run();
        } else {
            runOn(parallel, work);
        }
        return measured;
    }

    private synchronized void told(int blocks) {
        if (failed.get()) return;
        try {
            progress.blocksCompared(++done, blocks);
        } catch (RuntimeException | Error e) {
            failed.set(true); // under the lock: no other block is told of after this one
            throw e;
        }
    }

    /** Runs every task on {@code parallel} threads of their own; returns when all are done, or at once when one fails. */
    private static void runOn(int parallel, Runnable[] work) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "nvae-prior-divergence");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Void> finished = new ExecutorCompletionService<>(pool);
            for (Runnable r : work) finished.submit(r, null);
            for (int i = 0; i < work.length; i++) {
                try {
                    finished.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing the latent blocks with N(0, I)", e);
        } finally {
            pool.shutdownNow(); // a block already running finishes it; the others have not started
        }
    }
}
