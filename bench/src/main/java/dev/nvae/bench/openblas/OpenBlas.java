package dev.nvae.bench.openblas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS's {@code cblas_sgemm} through FFM: the ceiling our GEMMs are measured against, and the BLAS
 * the PyTorch peer runs on. Benchmarks only — the library never links BLAS. Debian's
 * {@code libopenblas0-pthread} (what python3-torch uses) by default; {@code NVAE_OPENBLAS_LIBRARY} overrides.
 */
public final class OpenBlas {
    public static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final String DEFAULT = "/usr/lib/x86_64-linux-gnu/libopenblas.so.0";

    private static final MethodHandle SGEMM, SET_THREADS, CONFIG;

    static {
        String path = System.getenv().getOrDefault("NVAE_OPENBLAS_LIBRARY", DEFAULT);
        if (!Files.exists(Path.of(path))) {
            throw new IllegalStateException(path + " not found: apt-get install -y libopenblas0-pthread (or set NVAE_OPENBLAS_LIBRARY)");
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), Arena.global());
        Linker linker = Linker.nativeLinker();
        SGEMM = linker.downcallHandle(lib.findOrThrow("cblas_sgemm"), FunctionDescriptor.ofVoid(
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), Linker.Option.critical(false));
        SET_THREADS = linker.downcallHandle(lib.findOrThrow("openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT));
        CONFIG = linker.downcallHandle(lib.findOrThrow("openblas_get_config"), FunctionDescriptor.of(ADDRESS));
    }

    private OpenBlas() {
    }

    /** C = alpha·op(A)·op(B) + beta·C, row-major. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm", t);
        }
    }

    public static void setThreads(int threads) {
        try {
            SET_THREADS.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads", t);
        }
    }

    /** e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
    public static String config() {
        try {
            MemorySegment s = (MemorySegment) CONFIG.invokeExact();
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_config", t);
        }
    }
}
