package dev.nvae.ffm.cuda;

import dev.nvae.ffm.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds and loads the CUDA libraries nvae binds, each once per process into {@link Arena#global()}: the runtime
 * ({@link #cudart()}), cuBLAS ({@link #cublas()}), NVRTC ({@link #nvrtc()}) and the driver ({@link #driver()}).
 * Nothing CUDA-related is bundled; a library that cannot be found throws {@link CudaUnavailableException} with
 * one line naming what was tried, now and on every later call.
 *
 * <p>Where each comes from, first match wins:
 * <ol>
 *   <li>an override, the system property before the environment variable: {@code nvae.cuda.library} /
 *       {@code NVAE_CUDA_LIBRARY} (runtime), {@code nvae.cublas.library} / {@code NVAE_CUBLAS_LIBRARY},
 *       {@code nvae.nvrtc.library} / {@code NVAE_NVRTC_LIBRARY}, {@code nvae.cudadriver.library} /
 *       {@code NVAE_CUDA_DRIVER_LIBRARY}. A value with a '/' is a file, else a name for the dynamic loader.
 *       An override that does not load is an error: there is no fallback, so the user learns that the file
 *       they named is not the one in use;</li>
 *   <li>the toolkit: {@code $CUDA_HOME} (else {@code /usr/local/cuda}) {@code /lib64}, {@code /lib},
 *       {@code /targets/x86_64-linux/lib};</li>
 *   <li>the sonames through the dynamic loader's path ({@code LD_LIBRARY_PATH}, ldconfig), newest major
 *       first: {@code libcudart.so.13}, {@code .12}, {@code .so} and the same for cuBLAS and NVRTC;</li>
 *   <li>the {@code nvidia/*}{@code /lib} folders of Python CUDA wheels (CUDA 13 wheels put every library in
 *       {@code nvidia/cu13/lib}, CUDA 12 ones in {@code nvidia/cublas/lib}, {@code nvidia/cuda_nvrtc/lib},
 *       {@code nvidia/cuda_runtime/lib}) under {@code $VIRTUAL_ENV}, {@code /opt/*}{@code /.venv},
 *       {@code /usr/local/lib/python3*}{@code /dist-packages}, {@code /usr/lib/python3/dist-packages} and
 *       {@code ~/.local/lib/python3*}{@code /site-packages}. libcublas needs libcublasLt from the same folder:
 *       loading it by absolute path works because the wheels set RUNPATH {@code $ORIGIN}.</li>
 * </ol>
 * The driver ({@code libcuda.so.1}, then {@code libcuda.so}) is only looked up through the loader: it is
 * installed with the NVIDIA driver, and the toolkit's {@code lib64/stubs/libcuda.so} is a link-time stub
 * that must never be loaded. A candidate must export its library's identifying function (e.g.
 * {@code cublasCreate_v2}); other missing functions surface as {@link UnsatisfiedLinkError} naming the symbol
 * on first use. Libraries are never unloaded: the CUDA libraries register exit handlers.
 */
public final class CudaLibraries {

    public static final String CUDART = "cudart";
    public static final String CUBLAS = "cublas";
    public static final String NVRTC = "nvrtc";
    public static final String DRIVER = "driver";

    /**
     * One library: its name in messages, its override, the file names it goes by (newest first), whether the
     * toolkit and Python wheels ship it, and the function that identifies it.
     */
    record Spec(String which, String title, String property, String env, List<String> sonames, boolean toolkit,
                String marker) {
    }

    static final List<Spec> SPECS = List.of(
            new Spec(CUDART, "CUDA runtime", "nvae.cuda.library", "NVAE_CUDA_LIBRARY",
                    List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so"), true, "cudaGetDeviceCount"),
            new Spec(CUBLAS, "cuBLAS", "nvae.cublas.library", "NVAE_CUBLAS_LIBRARY",
                    List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"), true, "cublasCreate_v2"),
            new Spec(NVRTC, "NVRTC", "nvae.nvrtc.library", "NVAE_NVRTC_LIBRARY",
                    List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"), true, "nvrtcCompileProgram"),
            new Spec(DRIVER, "CUDA driver", "nvae.cudadriver.library", "NVAE_CUDA_DRIVER_LIBRARY",
                    List.of("libcuda.so.1", "libcuda.so"), false, "cuInit"));

    private static final List<String> TOOLKIT_LIB_DIRS = List.of("lib64", "lib", "targets/x86_64-linux/lib");

    /** A library that loaded, and the file as it was found: a path, or a soname the loader resolved. */
    record Loaded(SymbolLookup lookup, String file) {
    }

    /** The per-process outcome for one library: loaded once, or the reason it did not, kept for later calls. */
    private static final class Slot {
        private final Spec spec;
        private Loaded loaded;
        private String failure;

        Slot(Spec spec) {
            this.spec = spec;
        }

        synchronized Loaded get() {
            if (loaded == null && failure == null) {
                try {
                    loaded = load(spec, System::getProperty, processEnvironment(), Path.of("/"), Arena.global());
                } catch (CudaUnavailableException e) {
                    failure = e.getMessage();
                }
            }
            if (failure != null) {
                throw new CudaUnavailableException(failure);
            }
            return loaded;
        }

        synchronized Optional<String> file() {
            return loaded == null ? Optional.empty() : Optional.of(loaded.file());
        }
    }

    private static final Map<String, Slot> SLOTS = new LinkedHashMap<>();

    static {
        for (Spec s : SPECS) {
            SLOTS.put(s.which(), new Slot(s));
        }
    }

    private CudaLibraries() {
    }

    /** libcudart; see the class comment for where it is looked for. */
    public static SymbolLookup cudart() {
        return slot(CUDART).get().lookup();
    }

    /** libcublas (and, through its RUNPATH or the loader path, libcublasLt). */
    public static SymbolLookup cublas() {
        return slot(CUBLAS).get().lookup();
    }

    /** libnvrtc. */
    public static SymbolLookup nvrtc() {
        return slot(NVRTC).get().lookup();
    }

    /** libcuda, the driver API. */
    public static SymbolLookup driver() {
        return slot(DRIVER).get().lookup();
    }

    /** The library {@code which} ({@link #CUDART}, {@link #CUBLAS}, {@link #NVRTC} or {@link #DRIVER}). */
    public static SymbolLookup lookup(String which) {
        return slot(which).get().lookup();
    }

    /**
     * The file {@code which} was loaded from, as found (an absolute path, or a soname such as
     * {@code libcudart.so.13} that the loader resolved); empty when it has not been loaded (yet) or could not
     * be. Never loads anything.
     */
    public static Optional<String> loaded(String which) {
        return slot(which).file();
    }

    /**
     * One line for {@code nvae info}: loads {@code which} if that was not tried yet and says what came of it,
     * e.g. {@code "libcudart.so.13 (/usr/local/cuda-13.0/lib/libcudart.so.13)"} or {@code "unavailable: no
     * cuBLAS library found (tried ...)"}. Never throws.
     */
    public static String describe(String which) {
        try {
            String file = slot(which).get().file();
            return file.contains("/") ? file : resolvedPath(file).map(p -> file + " (" + p + ")").orElse(file);
        } catch (CudaUnavailableException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    /**
     * The address of {@code symbol} in library {@code which}; what the header classes' {@code findOrThrow}
     * calls. Throws {@link UnsatisfiedLinkError} (the error jextract's bindings throw) when the library is
     * unavailable or lacks the symbol.
     */
    public static MemorySegment symbol(String which, String symbol) {
        Loaded l;
        try {
            l = slot(which).get();
        } catch (CudaUnavailableException e) {
            throw new UnsatisfiedLinkError(e.getMessage());
        }
        return l.lookup().find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError(l.file() + " does not export " + symbol));
    }

    private static Slot slot(String which) {
        Slot s = SLOTS.get(which);
        if (s == null) {
            throw new IllegalArgumentException("unknown CUDA library '" + which + "' (expected one of "
                    + String.join(", ", SLOTS.keySet()) + ")");
        }
        return s;
    }

    static Spec spec(String which) {
        return slot(which).spec;
    }

    private static Map<String, String> processEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("HOME", System.getProperty("user.home"));
        return env;
    }

    // ---- loading --------------------------------------------------------------------------------------------

    /** Why one candidate did not load. */
    private static final class NotLoaded extends Exception {
        NotLoaded(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Loads {@code spec}'s library into {@code arena}: the override if one is set (no fallback), else the first
     * of {@link #candidates} that loads and exports the identifying function. {@code root} stands for "/" (a
     * test passes a temporary folder); {@code env} provides {@code CUDA_HOME}, {@code VIRTUAL_ENV} and
     * {@code HOME} and the override variable.
     */
    static Loaded load(Spec spec, Function<String, String> properties, Map<String, String> env, Path root,
                       Arena arena) {
        String property = properties.apply(spec.property());
        if (property != null && !property.isBlank()) {
            return loadOverride(spec, "-D" + spec.property(), property.strip(), arena);
        }
        String variable = env.get(spec.env());
        if (variable != null && !variable.isBlank()) {
            return loadOverride(spec, spec.env(), variable.strip(), arena);
        }
        List<String> tried = new ArrayList<>();
        boolean anyFile = false;
        for (String candidate : candidates(spec, env, root)) {
            boolean isFile = candidate.contains("/");
            anyFile |= isFile;
            try {
                return open(spec, candidate, arena);
            } catch (NotLoaded e) {
                boolean plainlyAbsent = !isFile && e.getMessage().startsWith(candidate + ": cannot open shared object file");
                tried.add(plainlyAbsent ? candidate : candidate + " (" + e.getMessage() + ")");
            }
        }
        String where = !spec.toolkit() ? "; it is installed with the NVIDIA driver"
                : anyFile ? ""
                : "; no " + spec.sonames().getLast() + "* in " + toolkitHome(env, root)
                  + "/{lib64,lib,targets/x86_64-linux/lib} or in the nvidia/*/lib folder of a Python CUDA wheel";
        throw new CudaUnavailableException("no " + spec.title() + " library found (tried " + String.join(", ", tried)
                + ")" + where);
    }

    private static Loaded loadOverride(Spec spec, String setting, String value, Arena arena) {
        try {
            return open(spec, value, arena);
        } catch (NotLoaded e) {
            throw new CudaUnavailableException("cannot load " + setting + "=" + value + ": " + e.getMessage());
        }
    }

    private static Loaded open(Spec spec, String candidate, Arena arena) throws NotLoaded {
        SymbolLookup lookup;
        try {
            lookup = candidate.contains("/") ? SymbolLookup.libraryLookup(Path.of(candidate), arena)
                    : SymbolLookup.libraryLookup(candidate, arena);
        } catch (IllegalArgumentException e) {
            throw new NotLoaded(Libc.dlopenError(Path.of(candidate)));
        }
        if (lookup.find(spec.marker()).isEmpty()) {
            throw new NotLoaded("not the " + spec.title() + " library: it does not export " + spec.marker());
        }
        return new Loaded(lookup, candidate);
    }

    // ---- where to look (no loading: a unit test checks it on a fake tree) ------------------------------------

    /**
     * The candidates for {@code spec} in the order they are tried: existing files in the toolkit folders, the
     * sonames for the loader, existing files in Python wheel folders. A file reached twice (a symlinked folder,
     * {@code libcudart.so -> libcudart.so.13}) is listed once, by the first path that reached it.
     */
    static List<String> candidates(Spec spec, Map<String, String> env, Path root) {
        Map<Path, String> files = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        if (spec.toolkit()) {
            Path home = toolkitHome(env, root);
            for (String dir : TOOLKIT_LIB_DIRS) {
                for (String name : spec.sonames()) {
                    addIfFile(home.resolve(dir).resolve(name), files, out);
                }
            }
        }
        out.addAll(spec.sonames());
        if (spec.toolkit()) {
            List<Path> wheelDirs = new ArrayList<>();
            for (Path site : sitePackages(env, root)) {
                wheelDirs.addAll(glob(site, "nvidia", "*", "lib"));
            }
            for (String name : spec.sonames()) {
                for (Path dir : wheelDirs) {
                    addIfFile(dir.resolve(name), files, out);
                }
            }
        }
        return out;
    }

    private static Path toolkitHome(Map<String, String> env, Path root) {
        String home = env.get("CUDA_HOME");
        return home == null || home.isBlank() ? root.resolve("usr/local/cuda") : Path.of(home);
    }

    /** The Python package folders a CUDA wheel may be installed into. */
    private static List<Path> sitePackages(Map<String, String> env, Path root) {
        List<Path> sites = new ArrayList<>();
        String venv = env.get("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            sites.addAll(glob(Path.of(venv), "lib", "python3*", "site-packages"));
        }
        sites.addAll(glob(root, "opt", "*", ".venv", "lib", "python3*", "site-packages"));
        sites.addAll(glob(root, "usr", "local", "lib", "python3*", "dist-packages"));
        sites.addAll(glob(root, "usr", "lib", "python3", "dist-packages"));
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            sites.addAll(glob(Path.of(home), ".local", "lib", "python3*", "site-packages"));
        }
        return sites;
    }

    /** The existing folders {@code base/segments...}, where a segment may hold '*'; sorted by name at each level. */
    static List<Path> glob(Path base, String... segments) {
        List<Path> level = Files.isDirectory(base) ? List.of(base) : List.of();
        for (String segment : segments) {
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                if (!segment.contains("*")) {
                    Path p = dir.resolve(segment);
                    if (Files.isDirectory(p)) {
                        next.add(p);
                    }
                    continue;
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, segment)) {
                    List<Path> matched = new ArrayList<>();
                    children.forEach(c -> {
                        if (Files.isDirectory(c)) {
                            matched.add(c);
                        }
                    });
                    matched.sort(null);
                    next.addAll(matched);
                } catch (IOException unreadable) {
                    // a folder we may not list holds nothing for us
                }
            }
            level = next;
        }
        return level;
    }

    private static void addIfFile(Path p, Map<Path, String> seen, List<String> out) {
        if (!Files.isRegularFile(p)) {
            return;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return;
        }
        if (seen.putIfAbsent(real, p.toString()) == null) {
            out.add(p.toString());
        }
    }

    /** Where the loader found a soname: the first mapped file of this process whose name starts with it. */
    static Optional<String> resolvedPath(String soname) {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                    .filter(p -> !p.isEmpty())
                    .filter(p -> Path.of(p).getFileName().toString().startsWith(soname))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
