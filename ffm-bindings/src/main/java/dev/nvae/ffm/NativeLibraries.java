package dev.nvae.ffm;

import dev.nvae.ffm.dnnl.dnnl_version_t;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * Provides libdnnl to the {@code dnnl_h} bindings without a system install, once per process.
 *
 * <p>Bundled path (default): the .so files travel as classpath resources of org.bytedeco:dnnl and
 * org.bytedeco:opencl (linux-x86_64 jars; also inside the CLI's shaded jar). They are extracted by
 * {@link NativeExtractor} into {@code <cache>/natives/dnnl-<version>-<sha>/}, checked against the build-time
 * SHA-256 manifest, and loaded dependencies first: libgomp.so.1, libOpenCL.so.1 (optional), libdnnl.so.3,
 * each with {@link SymbolLookup#libraryLookup(Path, Arena)}. libdnnl's DT_NEEDED libgomp.so.1 is then
 * satisfied twice over: the soname is already loaded, and libdnnl's RUNPATH {@code $ORIGIN/} points at the
 * same directory. No system libgomp is touched.
 *
 * <p>Override: {@code NVAE_DNNL_LIBRARY=/path/libdnnl.so.3} (or {@code -Dnvae.dnnl.library}) loads that file
 * instead and lets the system linker find its dependencies.
 *
 * <p>Either way the library must report major version 3 and export every function in
 * {@code jextract-includes.txt}; otherwise, or on any other failure, {@link #loadDnnl()} returns an
 * unavailable result with a one-line reason and never throws.
 *
 * <p>Cache root: {@code -Dnvae.cache.dir}, else {@code $NVAE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/nvae},
 * else {@code ~/.cache/nvae}; if it is not writable, {@code <java.io.tmpdir>/nvae-<user>}, which must be this user's
 * alone (made with mode 700; one of another owner, or writable by others, is refused). With {@code -Dnvae.natives.asIs=true}
 * (a distribution's launcher) the cache root's natives are used as they are: see {@link #NATIVES_AS_IS_PROPERTY}.
 */
public final class NativeLibraries {

    public static final String DNNL_LIBRARY_ENV = "NVAE_DNNL_LIBRARY";
    public static final String DNNL_LIBRARY_PROPERTY = "nvae.dnnl.library";
    public static final String CACHE_DIR_ENV = "NVAE_CACHE_DIR";
    public static final String CACHE_DIR_PROPERTY = "nvae.cache.dir";
    /**
     * Set (true) by a distribution's launcher, whose cache root holds natives extracted and checked when it was built:
     * they are checked again and used as they are, and nothing is written there or extracted anywhere else.
     */
    public static final String NATIVES_AS_IS_PROPERTY = "nvae.natives.asIs";

    /** Where jextract-includes.txt is copied among the classes (see ffm-bindings/pom.xml). */
    static final String DNNL_INCLUDES = "dev/nvae/ffm/dnnl/jextract-includes.txt";

    private static DnnlLoadResult dnnlResult;            // guarded by NativeLibraries.class
    private static volatile SymbolLookup dnnlLookup;     // set once, when dnnlResult is available
    private static Arena dnnlArena;                      // never closed once loading succeeded
    private static final Map<String, String> openMpEnv = new LinkedHashMap<>();

    private NativeLibraries() {
    }

    /**
     * Sets an environment variable for libgomp before it is loaded, e.g. {@code ("OMP_NUM_THREADS", "2")} or
     * {@code ("OMP_WAIT_POLICY", "passive")}. libgomp reads OMP_* once, when it is loaded, and that is the
     * only way to change the thread count of every thread: {@code omp_set_num_threads} affects the calling
     * thread only.
     *
     * @throws IllegalStateException if oneDNN has already been loaded (or failed to load)
     */
    public static synchronized void setOpenMpEnvironment(String name, String value) {
        if (dnnlResult != null) {
            throw new IllegalStateException("oneDNN is already loaded: set " + name + " before the first use of oneDNN");
        }
        if (!name.startsWith("OMP_") && !name.startsWith("GOMP_")) {
            throw new IllegalArgumentException("not an OpenMP variable: " + name);
        }
        openMpEnv.put(name, value);
    }

    /** Loads oneDNN on the first call and returns the same result afterwards. Never throws. */
    public static synchronized DnnlLoadResult loadDnnl() {
        if (dnnlResult == null) {
            long t0 = System.nanoTime();
            List<String> notes = new ArrayList<>();
            try {
                dnnlResult = load(notes, t0);
            } catch (LoadFailure f) {
                dnnlResult = DnnlLoadResult.unavailable(f.getMessage(), notes, millisSince(t0));
            } catch (Throwable t) {
                // Never let a loader bug take the program down: the caller falls back to the vector backend.
                dnnlResult = DnnlLoadResult.unavailable("unexpected " + t, notes, millisSince(t0));
            }
        }
        return dnnlResult;
    }

    /**
     * The address of a libdnnl symbol, loading oneDNN first if needed; what the {@code dnnl_h} holder classes
     * call. Throws {@link UnsatisfiedLinkError}, as jextract's {@code findOrThrow} does, when oneDNN is
     * unavailable or lacks the symbol: check {@link DnnlLibrary#isAvailable()} before calling bindings.
     */
    public static MemorySegment dnnlSymbol(String name) {
        SymbolLookup lookup = dnnlLookup;
        if (lookup == null) {
            DnnlLoadResult r = loadDnnl();
            if (!r.available()) {
                throw new UnsatisfiedLinkError("oneDNN unavailable: " + r.reason());
            }
            lookup = dnnlLookup;
        }
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
    }

    /** True when the loaded oneDNN (or its OpenMP runtime) exports {@code name}: for calls a runtime may lack. */
    public static boolean hasDnnlSymbol(String name) {
        try {
            dnnlSymbol(name);
            return true;
        } catch (UnsatisfiedLinkError absent) {
            return false;
        }
    }

    /** The cache root natives are extracted under (its {@code natives/} subdirectory). */
    public static Path cacheRoot() {
        String dir = System.getProperty(CACHE_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(CACHE_DIR_ENV);
        }
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "nvae");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "nvae");
    }

    // ---- loading ----------------------------------------------------------------------------------------

    /** A failure with a one-line reason for the user. */
    private static final class LoadFailure extends Exception {
        LoadFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    private static DnnlLoadResult load(List<String> notes, long t0) throws LoadFailure {
        openMpEnv.forEach((k, v) -> {
            if (Libc.setenv(k, v) != 0) {
                notes.add("setenv " + k + " failed");
            }
        });
        String override = System.getProperty(DNNL_LIBRARY_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(DNNL_LIBRARY_ENV);
        }
        return override != null && !override.isBlank()
                ? loadOverride(Path.of(override), notes, t0)
                : loadBundled(notes, t0);
    }

    private static DnnlLoadResult loadOverride(Path path, List<String> notes, long t0) throws LoadFailure {
        String where = DNNL_LIBRARY_ENV + "=" + path;
        if (!Files.isRegularFile(path)) {
            throw new LoadFailure(where + ": no such file");
        }
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup = open(path, arena, where);
            DnnlVersion version = verify(lookup, where);
            return publish(arena, lookup, new DnnlLoadResult(true, "", DNNL_LIBRARY_ENV, version, path,
                    List.of(path), List.of(), notes, millisSince(t0)));
        } catch (LoadFailure | RuntimeException | Error e) {
            arena.close();  // dlclose what was opened, so a rejected library does not linger
            throw e;
        }
    }

    private static DnnlLoadResult loadBundled(List<String> notes, long t0) throws LoadFailure {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new LoadFailure("no bundled oneDNN for " + os + "/" + arch + " (only Linux x86-64); set "
                    + DNNL_LIBRARY_ENV + " to a libdnnl.so.3");
        }
        ClassLoader loader = NativeLibraries.class.getClassLoader();
        NativeBundle bundle = bundle(loader, notes);
        NativeExtractor.Result files = extract(bundle, loader, notes);
        files.absent().forEach(f -> notes.add("optional " + f + " is not on the classpath"));

        Arena arena = Arena.ofShared();
        try {
            List<Path> loaded = new ArrayList<>();
            SymbolLookup main = null;
            for (NativeBundle.Entry e : bundle.entries()) {
                Path p = files.files().get(e.fileName());
                if (p == null) {
                    continue;
                }
                try {
                    SymbolLookup lookup = open(p, arena, p.toString());
                    loaded.add(p);
                    if (e == bundle.main()) {
                        main = lookup;
                    }
                } catch (LoadFailure f) {
                    if (e.required()) {
                        throw f;
                    }
                    notes.add("optional " + f.getMessage());
                }
            }
            Path library = files.files().get(bundle.main().fileName());
            DnnlVersion version = verify(main, library.toString());
            return publish(arena, main, new DnnlLoadResult(true, "", "bundled", version, library, loaded,
                    files.extracted(), notes, millisSince(t0)));
        } catch (LoadFailure | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static NativeBundle bundle(ClassLoader loader, List<String> notes) throws LoadFailure {
        try {
            NativeBundle bundle = NativeBundle.fromManifest(loader);
            if (bundle == null) {
                notes.add(NativeBundle.MANIFEST + " missing: hashed the native resources at run time");
                bundle = NativeBundle.hashResources(loader, "dnnl", "unversioned", NativeBundle.dnnlLinuxX86_64());
            }
            return bundle;
        } catch (IOException e) {
            throw new LoadFailure("bundled oneDNN not found: " + e.getMessage()
                    + " (is org.bytedeco:dnnl:linux-x86_64 on the classpath?)");
        }
    }

    private static NativeExtractor.Result extract(NativeBundle bundle, ClassLoader loader, List<String> notes)
            throws LoadFailure {
        Path primary = cacheRoot().resolve("natives");
        if (Boolean.getBoolean(NATIVES_AS_IS_PROPERTY)) {
            // A distribution's own natives: used as they are or not at all, never rewritten, never copied elsewhere.
            try {
                return NativeExtractor.useAsIs(bundle, primary);
            } catch (IOException e) {
                throw new LoadFailure("bundled " + bundle.name() + " natives: " + e.getMessage());
            }
        }
        try {
            return NativeExtractor.extract(bundle, loader, primary);
        } catch (IOException first) {
            try {
                Path fallback = NativeExtractor.privateDirectory(Path.of(System.getProperty("java.io.tmpdir"),
                        "nvae-" + System.getProperty("user.name", "user"))).resolve("natives");
                NativeExtractor.Result r = NativeExtractor.extract(bundle, loader, fallback);
                notes.add("cache " + primary + " unusable (" + first.getMessage() + "); used " + fallback);
                return r;
            } catch (IOException second) {
                throw new LoadFailure("cannot extract " + bundle.name() + " natives to " + primary + ": " + first
                        + "; nor under " + System.getProperty("java.io.tmpdir") + ": " + second.getMessage());
            }
        }
    }

    private static SymbolLookup open(Path path, Arena arena, String where) throws LoadFailure {
        try {
            return SymbolLookup.libraryLookup(path, arena);
        } catch (IllegalArgumentException e) {
            throw new LoadFailure("cannot load " + where + ": " + Libc.dlopenError(path));
        }
    }

    /** Checks the major version and that every function the bindings include is exported. */
    private static DnnlVersion verify(SymbolLookup lookup, String where) throws LoadFailure {
        MemorySegment fn = lookup.find("dnnl_version")
                .orElseThrow(() -> new LoadFailure(where + " does not export dnnl_version: not a oneDNN library"));
        DnnlVersion version;
        try {
            // Called directly rather than through dnnl_h: dnnl_h resolves symbols through this class,
            // which has not published the lookup yet.
            MethodHandle dnnlVersion = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ADDRESS));
            MemorySegment v = (MemorySegment) dnnlVersion.invokeExact();
            version = DnnlVersion.read(v.reinterpret(dnnl_version_t.sizeof()));
        } catch (Throwable t) {
            throw new LoadFailure(where + ": dnnl_version() failed: " + t);
        }
        if (version.major() != 3) {
            throw new LoadFailure(where + " is oneDNN " + version + "; nvae needs 3.x");
        }
        for (String name : includedFunctions()) {
            if (lookup.find(name).isEmpty()) {
                throw new LoadFailure(where + " (oneDNN " + version + ") does not export " + name);
            }
        }
        return version;
    }

    /** The {@code --include-function} names of jextract-includes.txt: the dnnl_h functions. */
    static List<String> includedFunctions() throws LoadFailure {
        InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(DNNL_INCLUDES);
        if (in == null) {
            throw new LoadFailure(DNNL_INCLUDES + " is missing from the classpath");
        }
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("--include-function")) {
                    names.add(words[1]);
                }
            }
        } catch (IOException e) {
            throw new LoadFailure("cannot read " + DNNL_INCLUDES + ": " + e.getMessage());
        }
        return names;
    }

    private static DnnlLoadResult publish(Arena arena, SymbolLookup lookup, DnnlLoadResult result) {
        dnnlArena = arena;
        dnnlLookup = lookup;
        return result;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
