package dev.nvae.cli;

import dev.nvae.backend.Processors;
import dev.nvae.backend.onednn.OpenMpThreads;
import dev.nvae.ffm.DnnlLibrary;

import java.util.Set;

/**
 * Loads oneDNN on a daemon thread from the first line of {@code main}, before picocli has parsed anything.
 *
 * <p>Why: in a fresh JVM, picocli's set-up and parse take ~0.2 s of one core, and loading oneDNN (reading
 * the bundle manifest, checking the extracted files, dlopen, resolving and version-checking the symbols)
 * another ~0.2 s. They touch nothing in common, so on two cores a short command such as {@code sample}
 * should wait for the longer, not the sum. The backend itself is still chosen and created by the command
 * ({@link ComputeOptions}); when it asks for oneDNN, {@link DnnlLibrary#load()} returns this thread's
 * result, or waits for it to finish.
 *
 * <p>This looks at the raw arguments only to avoid useless work: commands that never compute, and
 * {@code --backend vector}, skip it. {@code --threads} is read so that OpenMP's team size is set before
 * libgomp loads, as {@link OpenMpThreads#configureBeforeLoad} requires; a malformed value is left for
 * picocli to reject.
 */
final class NativePreload {
    private static final Set<String> COMPUTING = Set.of("train", "evaluate", "sample", "traverse", "reconstruct",
            "encode", "factors", "disentangle", "augment", "demo");

    private NativePreload() {
    }

    static void startIfUseful(String[] args) {
        if (args.length == 0 || !COMPUTING.contains(args[0])) return;
        if ("vector".equals(value(args, "--backend"))) return;
        int threads = Runtime.getRuntime().availableProcessors();
        try {
            String t = value(args, "--threads");
            if (t != null) threads = Integer.parseInt(t);
        } catch (NumberFormatException malformed) {
            return;  // picocli reports it; the command will not run
        }
        if (threads < 1) return;
        int team = Processors.usable(threads);
        Thread.ofPlatform().name("nvae-onednn-load").daemon().start(() -> {
            OpenMpThreads.configureBeforeLoad(team);
            DnnlLibrary.load();  // never throws; the command reads the outcome
        });
    }

    /** The value of {@code --name V} or {@code --name=V}; the last one wins, as in picocli. */
    static String value(String[] args, String name) {
        String found = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) found = args[i + 1];
            else if (args[i].startsWith(name + "=")) found = args[i].substring(name.length() + 1);
        }
        return found;
    }
}
