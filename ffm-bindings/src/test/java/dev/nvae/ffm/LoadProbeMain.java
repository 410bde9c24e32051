package dev.nvae.ffm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child-process entry point for {@link ChildJvmTest}: loads oneDNN the way a fresh CLI process does and
 * prints the outcome as key=value lines. Argument {@code omp=N} sets OMP_NUM_THREADS before loading.
 */
public final class LoadProbeMain {

    public static void main(String[] args) throws InterruptedException {
        for (String a : args) {
            if (a.startsWith("omp=")) {
                NativeLibraries.setOpenMpEnvironment("OMP_NUM_THREADS", a.substring(4));
            }
        }
        DnnlLoadResult r = DnnlLibrary.load();
        System.out.println("available=" + r.available());
        System.out.println("reason=" + r.reason());
        System.out.println("source=" + r.source());
        System.out.println("library=" + r.library());
        System.out.println("extracted=" + String.join(",", r.extracted()));
        if (r.available()) {
            System.out.println("version=" + DnnlLibrary.version());
            AtomicInteger other = new AtomicInteger();
            Thread t = Thread.ofPlatform().start(() -> other.set(DnnlLibrary.maxThreads()));
            t.join();
            System.out.println("otherThreadMaxThreads=" + other.get());
        }
    }
}
