package dev.nvae.ffm;

import dev.nvae.ffm.cuda.CudaRuntime;
import dev.nvae.ffm.cuda.cublas_v2_h;
import dev.nvae.ffm.cuda.cuda_h;
import dev.nvae.ffm.cuda.cuda_runtime_api_h;
import dev.nvae.ffm.cuda.nvrtc_h;
import dev.nvae.ffm.dnnl.dnnl_h;
import dev.nvae.ffm.dnnl.omp_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.ValueLayout;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hand-written bindings against the headers they were written from, compiled with gcc/g++: every
 * constant's value, every struct's size and field offsets, and every function's arity and argument classes
 * (int / long / float / pointer) must match. Skipped where no compiler (or no CUDA toolkit) is installed.
 */
class HeaderConsistencyTest {

    private static final String DNNL_INCLUDE = "org/bytedeco/dnnl/linux-x86_64/include";
    private static final Path CUDA_INCLUDE = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "include");

    @TempDir
    static Path work;
    private static Path dnnlInclude;

    @BeforeAll
    static void extractHeaders() throws Exception {
        assumeTrue(works("gcc", "--version") && works("g++", "--version"), "gcc and g++ are needed");
        // The headers travel in the same jar as libdnnl.so.3.
        URL dnnlH = HeaderConsistencyTest.class.getClassLoader().getResource(DNNL_INCLUDE + "/oneapi/dnnl/dnnl.h");
        assertNotNull(dnnlH);
        Path jar = Path.of(((JarURLConnection) dnnlH.openConnection()).getJarFileURL().toURI());
        dnnlInclude = work.resolve("include");
        try (FileSystem fs = FileSystems.newFileSystem(jar); var files = Files.walk(fs.getPath(DNNL_INCLUDE))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path to = dnnlInclude.resolve(fs.getPath(DNNL_INCLUDE).relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
    }

    @Test
    void dnnlConstantsAndStructsMatchTheHeaders() throws Exception {
        IncludeList inc = IncludeList.read("jextract-includes.txt");
        checkConstantsAndStructs("dnnl", dnnl_h.class, inc, "#include \"oneapi/dnnl/dnnl.h\"", "gcc", "-I" + dnnlInclude);
    }

    @Test
    void dnnlSignaturesMatchTheHeaders() throws Exception {
        assumeTrue(DnnlLibrary.isAvailable(), "descriptors are created with the symbol lookup");
        IncludeList inc = IncludeList.read("jextract-includes.txt");
        checkSignatures("dnnl", dnnl_h.class, inc.functions(), "#include \"oneapi/dnnl/dnnl.h\"", "-I" + dnnlInclude);
    }

    @Test
    void ompSignaturesMatchGccsOmpH() throws Exception {
        assumeTrue(DnnlLibrary.usesOpenMp());
        checkSignatures("omp", omp_h.class, IncludeList.read("jextract-includes-omp.txt").functions(),
                "#include <omp.h>\n" + LIBGOMP_G_H);
    }

    /**
     * GOMP_parallel's prototype as GCC's libgomp_g.h declares it: that header is libgomp's internal ABI (what
     * "#pragma omp parallel" compiles to) and is not installed, so the one declaration is written out here.
     */
    private static final String LIBGOMP_G_H = "extern \"C\" void GOMP_parallel (void (*) (void *), void *, unsigned, unsigned int);";

    /** Each section of the CUDA include lists, as (list, header class, header file). */
    static Stream<Arguments> cudaSections() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (var e : Map.of("jextract-includes-cudart.txt", cuda_runtime_api_h.class,
                "jextract-includes-cublas.txt", cublas_v2_h.class, "jextract-includes-nvrtc.txt", nvrtc_h.class,
                "jextract-includes-cuda.txt", cuda_h.class).entrySet()) {
            for (String h : IncludeList.read(e.getKey()).headers()) {
                out.add(Arguments.of(e.getKey(), e.getValue(), h));
            }
        }
        out.sort(java.util.Comparator.comparing(a -> a.get()[2].toString()));
        return out.stream();
    }

    /**
     * Constants against the header's values, and each function's Java method (the API the backend calls)
     * against the header's prototype. Only headers that are installed can be checked: this host has the CUDA
     * toolkit's cuda.h, cuda_runtime_api.h, driver_types.h and library_types.h, not cuBLAS's or NVRTC's.
     */
    @ParameterizedTest(name = "{2} ({0})")
    @MethodSource("cudaSections")
    void cudaSectionMatchesItsToolkitHeader(String includes, Class<?> header, String file) throws Exception {
        assumeTrue(Files.exists(CUDA_INCLUDE.resolve(file)), file + " is not installed in " + CUDA_INCLUDE);
        IncludeList section = IncludeList.read(includes).section(file);
        String include = "#include <" + file + ">";
        String name = file.substring(0, file.indexOf('.'));
        assertFalse(section.constants().isEmpty() && section.functions().isEmpty(), file + " section is empty");
        if (!section.constants().isEmpty()) {
            checkConstantsAndStructs(name, header, section, include, "g++", "-I" + CUDA_INCLUDE);
        }
        if (!section.functions().isEmpty()) {
            Map<String, String> expected = new LinkedHashMap<>();
            for (String f : section.functions()) {
                Method m = Arrays.stream(header.getMethods()).filter(x -> x.getName().equals(f)).findFirst().orElseThrow();
                StringBuilder sig = new StringBuilder().append(cls(m.getReturnType()));
                Arrays.stream(m.getParameterTypes()).forEach(t -> sig.append(cls(t)));
                expected.put(f, sig.toString());
            }
            assertNoMismatch(expected, headerSignatures(name, section.functions(), include, "-I" + CUDA_INCLUDE));
            System.out.println(name + ": " + section.functions().size() + " Java method signatures match the header");
        }
    }

    @Test
    void cudartDescriptorsMatchTheToolkitHeader() throws Exception {
        assumeTrue(Files.exists(CUDA_INCLUDE.resolve("cuda_runtime_api.h")), "no CUDA toolkit headers");
        CudaRuntime.probe();
        assumeTrue(libraryFound(), "no libcudart to create descriptors with");
        checkSignatures("cuda", cuda_runtime_api_h.class, IncludeList.read("jextract-includes-cudart.txt").functions(),
                "#include <cuda_runtime_api.h>", "-I" + CUDA_INCLUDE);
    }

    private static boolean libraryFound() {
        try {
            CudaRuntime.symbol("cudaGetDeviceCount");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    // ---- constants and structs ------------------------------------------------------------------------

    private static void checkConstantsAndStructs(String name, Class<?> header, IncludeList inc, String include,
                                                 String compiler, String... flags) throws Exception {
        StringBuilder c = new StringBuilder();
        c.append("#include <stdio.h>\n#include <stdint.h>\n#include <stddef.h>\n").append(include).append('\n');
        c.append("int main(void) {\n");
        for (String k : inc.constants()) {
            c.append("    printf(\"%s %lld\\n\", \"").append(k).append("\", (long long)(intptr_t)(").append(k).append("));\n");
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String s : inc.structs()) {
            GroupLayout layout = (GroupLayout) Class.forName(header.getPackageName() + "." + s)
                    .getMethod("layout").invoke(null);
            c.append("    printf(\"%s %zu\\n\", \"sizeof ").append(s).append("\", sizeof(").append(s).append("));\n");
            expected.put("sizeof " + s, layout.byteSize());
            for (MemoryLayout m : layout.memberLayouts()) {
                if (m instanceof PaddingLayout) {
                    continue;
                }
                String f = m.name().orElseThrow();
                c.append("    printf(\"%s %zu\\n\", \"offsetof ").append(s).append('.').append(f)
                        .append("\", offsetof(").append(s).append(", ").append(f).append("));\n");
                expected.put("offsetof " + s + "." + f, layout.byteOffset(groupElement(f)));
            }
        }
        c.append("    return 0;\n}\n");
        for (String k : inc.constants()) {
            Object v = header.getMethod(k).invoke(null);
            expected.put(k, switch (v) {
                case Integer i -> (long) i;
                case Long l -> l;
                case MemorySegment s -> s.address();
                default -> throw new AssertionError(k + " has unexpected type " + v.getClass());
            });
        }
        String ext = compiler.equals("gcc") ? ".c" : ".cpp";
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : compileAndRun(name + "_constants" + ext, c.toString(), compiler, flags)) {
            int sp = line.lastIndexOf(' ');
            actual.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
        }
        assertNoMismatch(expected, actual);
        System.out.println(name + ": " + inc.constants().size() + " constants and " + inc.structs().size()
                + " struct layouts match the headers");
    }

    // ---- function signatures ----------------------------------------------------------------------------

    /** C++ prints each function's return and parameter classes: V void, P pointer, F float, D double, B/S/I/J integer by size. */
    private static final String SIGNATURE_PRINTER = """
            #include <cstdio>
            #include <type_traits>
            template <class T> char cls() {
                if constexpr (std::is_void_v<T>) return 'V';
                else if constexpr (std::is_pointer_v<T>) return 'P';
                else if constexpr (std::is_floating_point_v<T>) return sizeof(T) == 4 ? 'F' : 'D';
                else return sizeof(T) == 1 ? 'B' : sizeof(T) == 2 ? 'S' : sizeof(T) == 4 ? 'I' : 'J';
            }
            // decltype(f) names the function type without using f, so nothing needs to be linked.
            template <class F> struct sig;
            template <class R, class... A> struct sig<R(A...)> {
                static void print(const char *name) {
                    std::printf("%s %c", name, cls<R>());
                    ((std::putchar(cls<A>())), ...);
                    std::putchar('\\n');
                }
            };
            template <class R, class... A> struct sig<R(A...) noexcept> : sig<R(A...)> {};  // omp.h: __GOMP_NOTHROW
            """;

    private static void checkSignatures(String name, Class<?> header, List<String> functions, String include,
                                        String... flags) throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String f : functions) {
            FunctionDescriptor d = (FunctionDescriptor) header.getMethod(f + "$descriptor").invoke(null);
            StringBuilder s = new StringBuilder();
            s.append(d.returnLayout().map(HeaderConsistencyTest::cls).orElse('V'));
            d.argumentLayouts().forEach(l -> s.append(cls(l)));
            expected.put(f, s.toString());
        }
        assertNoMismatch(expected, headerSignatures(name, functions, include, flags));
        System.out.println(name + ": " + functions.size() + " function signatures match the headers");
    }

    /** Function name → its classes in the header (return first), as {@link #SIGNATURE_PRINTER} prints them. */
    private static Map<String, String> headerSignatures(String name, List<String> functions, String include,
                                                        String... flags) throws Exception {
        StringBuilder c = new StringBuilder(include).append('\n').append(SIGNATURE_PRINTER).append("int main() {\n");
        for (String f : functions) {
            c.append("    sig<decltype(").append(f).append(")>::print(\"").append(f).append("\");\n");
        }
        c.append("    return 0;\n}\n");
        Map<String, String> actual = new LinkedHashMap<>();
        for (String line : compileAndRun(name + "_signatures.cpp", c.toString(), "g++", flags)) {
            String[] w = line.split(" ");
            actual.put(w[0], w[1]);
        }
        return actual;
    }

    private static char cls(MemoryLayout l) {
        return cls(((ValueLayout) l).carrier());
    }

    private static char cls(Class<?> carrier) {
        if (carrier == void.class) return 'V';
        if (carrier == MemorySegment.class) return 'P';
        if (carrier == float.class) return 'F';
        if (carrier == double.class) return 'D';
        if (carrier == byte.class) return 'B';
        if (carrier == short.class) return 'S';
        if (carrier == int.class) return 'I';
        if (carrier == long.class) return 'J';
        throw new AssertionError("unexpected carrier " + carrier);
    }

    /** Fails listing only the symbols whose Java value differs from the header's. */
    private static <V> void assertNoMismatch(Map<String, V> java, Map<String, V> header) {
        assertEquals(java.keySet(), header.keySet());
        List<String> wrong = new ArrayList<>();
        java.forEach((k, v) -> {
            if (!v.equals(header.get(k))) {
                wrong.add(k + ": bindings " + v + ", header " + header.get(k));
            }
        });
        assertEquals(List.of(), wrong);
    }

    // ---- running the compiler ---------------------------------------------------------------------------

    private static List<String> compileAndRun(String file, String source, String compiler, String... flags)
            throws Exception {
        Path src = Files.writeString(work.resolve(file), source);
        Path exe = work.resolve(file + ".out");
        List<String> cmd = new ArrayList<>(List.of(compiler, "-Wall", "-Werror", "-o", exe.toString(), src.toString()));
        cmd.addAll(List.of(flags));
        String compileOutput = run(cmd);
        assertTrue(Files.isExecutable(exe), compiler + " failed on " + src + ":\n" + compileOutput);
        return List.of(run(List.of(exe.toString())).strip().split("\n"));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        return out;
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
