package dev.nvae.api;

import com.sun.management.ThreadMXBean;
import dev.nvae.ffm.DnnlLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One open model, 8 threads × 200 sample calls at once, twice: every result must be bit for bit the result of
 * the same request made alone, on a model opened separately and used by one thread; and the second round must
 * not leave more memory behind than the first — neither live heap after a GC nor C heap in use (where the
 * calls' native buffers come from). The heap allocated per call is reported beside them. Figures are printed for the record.
 */
class ConcurrencyTest {
    private static final int THREADS = 8, CALLS = 200, DISTINCT = 48;
    private static final int[] COUNTS = {1, 16, 37};

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = TestModels.nvae(dir);
    }

    /** Request j of the run: every class, three batch shapes, four prior scales, its own seed. */
    private static SampleRequest request(int j) {
        return new SampleRequest(j % 10, COUNTS[j % COUNTS.length], 1.0 + 0.2 * (j % 4), 1000 + j);
    }

    @Test
    void vectorLanes() throws Exception {
        // The reference runs 2 threads per call, the lanes 1: the vector kernels never split a reduction.
        run(ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(2).withLanes(1),
                ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1).withLanes(4));
    }

    @Test
    void oneDnnLanes() throws Exception {
        Assumptions.assumeTrue(DnnlLibrary.load().available(), "oneDNN does not load here");
        // oneDNN may sum in another order at another thread count, so the reference uses the lanes' count.
        ModelOptions o = ModelOptions.defaults().withBackend(ComputeBackend.ONEDNN).withThreads(1);
        run(o.withLanes(1), o.withLanes(4));
    }

    @Test
    void oneLaneServesEightThreadsInTurn() throws Exception {
        ModelOptions o = ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1);
        run(o.withLanes(1), o.withLanes(1));
    }

    private void run(ModelOptions alone, ModelOptions shared) throws Exception {
        int[][] want = new int[DISTINCT][];
        try (NvaeModel m = NvaeModel.open(model, alone)) {
            for (int j = 0; j < DISTINCT; j++) want[j] = bits(m.sample(request(j)));
        }
        try (NvaeModel m = NvaeModel.open(model, shared); ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int j = 0; j < DISTINCT; j++) m.sample(request(j));  // warm up: JIT, lanes' first batches
            long rssStart = rssKb();
            // Two rounds: what the first leaves behind is the baseline, so the JIT's and the pool's first-use
            // memory does not count as growth; whatever a call kept would pile up again in the second round.
            Round first = round(m, want, pool), second = round(m, want, pool);
            System.out.printf(Locale.ROOT, "concurrency %s: %d threads x %d calls, %d lanes of %d thread(s): all %d results identical "
                            + "to the single-threaded ones; heap allocated per call %.1f KB (round 1) / %.1f KB (round 2); "
                            + "heap live after GC %.1f -> %.1f MB, C heap in use %.1f -> %.1f MB (after round 1 -> 2); RSS %d -> %d MB%n",
                    m.info().backend(), THREADS, CALLS, m.info().lanes(), m.info().threads(), 2 * THREADS * CALLS,
                    first.allocatedPerCall / 1024.0, second.allocatedPerCall / 1024.0, first.heapLive / 1048576.0,
                    second.heapLive / 1048576.0, first.nativeInUse / 1048576.0, second.nativeInUse / 1048576.0,
                    rssStart / 1024, rssKb() / 1024);
            // Per call: the result array (≤ 37·784 floats, 116 KB) and ~0.1-0.5 MB of native buffers (workspace,
            // latents, means); a call that kept either would add 100+ MB over a round (20 KB a call, 32 MB). The
            // JVM's own native allocations (JIT, GC) move by up to ~10 MB within a full test run.
            assertTrue(second.heapLive - first.heapLive < 32L << 20, "live heap grew by " + (second.heapLive - first.heapLive) + " bytes");
            assertTrue(second.nativeInUse - first.nativeInUse < 32L << 20,
                    "native memory grew by " + (second.nativeInUse - first.nativeInUse) + " bytes: buffers of calls were not freed");
        }
    }

    /** One round's heap allocated per call (by the calling threads), and the live heap and C heap after it. */
    private record Round(double allocatedPerCall, long heapLive, long nativeInUse) {
    }

    /** 8 threads × 200 calls at once, every result checked against the single-threaded one. */
    private static Round round(NvaeModel m, int[][] want, ExecutorService pool) throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                long id = Thread.currentThread().threadId();
                start.await();
                long before = threads.getThreadAllocatedBytes(id);
                for (int c = 0; c < CALLS; c++) {
                    int j = (thread * 7 + c) % DISTINCT;
                    float[] got = m.sample(request(j));
                    assertArrayEquals(want[j], bits(got), () -> "thread " + thread + ", call " + j);
                }
                return threads.getThreadAllocatedBytes(id) - before;
            }));
        }
        long allocated = 0;
        for (Future<Long> f : results) allocated += f.get();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Round((double) allocated / (THREADS * CALLS), live, NativeHeap.inUse());
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Float.floatToRawIntBits(values[i]);
        return out;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
