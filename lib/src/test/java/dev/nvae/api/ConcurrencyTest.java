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
 * One open model, 8 threads × 200 sample calls at once: every result must be bit for bit the result of the
 * same request made alone, on a model opened separately and used by one thread; and the run must not grow
 * memory — heap allocated per call stays flat from the first half of the run to the second, and the native
 * memory of the calls' buffers is given back (the C heap in use does not grow). Figures are printed for the record.
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
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        try (NvaeModel m = NvaeModel.open(model, shared); ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int j = 0; j < DISTINCT; j++) m.sample(request(j));  // warm up: JIT, lanes' first batches
            long nativeBefore = NativeHeap.inUse(), rssBefore = rssKb();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    long id = Thread.currentThread().threadId();
                    long[] allocated = new long[2];  // bytes allocated by this thread in each half of its calls
                    start.await();
                    for (int c = 0; c < CALLS; c++) {
                        if (c == 0 || c == CALLS / 2) allocated[c == 0 ? 0 : 1] -= threads.getThreadAllocatedBytes(id);
                        int j = (thread * 7 + c) % DISTINCT;
                        float[] got = m.sample(request(j));
                        assertArrayEquals(want[j], bits(got), () -> "thread " + thread + ", call " + j);
                        if (c == CALLS / 2 - 1) allocated[0] += threads.getThreadAllocatedBytes(id);
                    }
                    allocated[1] += threads.getThreadAllocatedBytes(id);
                    return allocated;
                }));
            }
            long first = 0, second = 0;
            for (Future<long[]> f : results) {
                long[] a = f.get();
                first += a[0];
                second += a[1];
            }
            long nativeAfter = NativeHeap.inUse(), rssAfter = rssKb();
            int halfCalls = THREADS * CALLS / 2;
            System.out.printf(Locale.ROOT, "concurrency %s: %d threads x %d calls, %d lanes of %d thread(s): all %d results identical "
                            + "to the single-threaded ones; heap allocated per call %.1f KB (1st half) / %.1f KB (2nd half); "
                            + "C heap in use %.1f -> %.1f MB; RSS %d -> %d MB%n",
                    m.info().backend(), THREADS, CALLS, m.info().lanes(), m.info().threads(), THREADS * CALLS,
                    first / 1024.0 / halfCalls, second / 1024.0 / halfCalls, nativeBefore / 1048576.0, nativeAfter / 1048576.0,
                    rssBefore / 1024, rssAfter / 1024);
            // Per call: the result array (≤ 37·784 floats, 116 KB) and small change; no growth from half to half.
            assertTrue(second <= first * 1.1 + 64 * 1024 * THREADS, "allocation grew: " + first + " -> " + second + " bytes");
            // Each call opens ~0.1-0.5 MB of native buffers (workspace, latents, means): a call that kept them
            // would add 160+ MB over the run. The JVM's own native allocations (JIT, GC) move by a few MB.
            assertTrue(nativeAfter - nativeBefore < 16L << 20,
                    "native memory grew by " + (nativeAfter - nativeBefore) + " bytes: buffers of calls were not freed");
        }
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
