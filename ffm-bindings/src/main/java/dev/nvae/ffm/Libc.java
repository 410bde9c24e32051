package dev.nvae.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The three libc calls the loader needs (glibc 2.34+ keeps dlopen/dlerror in libc.so.6, which the linker's
 * default lookup covers): {@code setenv} to hand OMP_* variables to libgomp before it is loaded, and
 * {@code dlopen}/{@code dlerror} to say why a library did not load ({@link SymbolLookup#libraryLookup} only
 * says "Cannot open library"), public for the CUDA loader in {@code dev.nvae.ffm.cuda}.
 */
public final class Libc {

    // <dlfcn.h> (bits/dlfcn.h on x86-64 glibc)
    private static final int RTLD_NOW = 0x00002;
    private static final int RTLD_LOCAL = 0;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor desc) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), desc);
    }

    /** {@code int setenv(const char *name, const char *value, int overwrite)}; returns 0 on success. */
    static int setenv(String name, String value) {
        MethodHandle setenv = handle("setenv", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            return (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(" + name + ") failed", t);
        }
    }

    /**
     * Why {@code path} does not load: dlopens it once more and returns {@code dlerror()}, e.g.
     * "libfoo.so.1: cannot open shared object file: No such file or directory".
     */
    public static String dlopenError(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle dlopen = handle("dlopen", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
            MethodHandle dlerror = handle("dlerror", FunctionDescriptor.of(ADDRESS));
            MethodHandle dlclose = handle("dlclose", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MemorySegment h = (MemorySegment) dlopen.invokeExact(arena.allocateFrom(path.toString()), RTLD_NOW | RTLD_LOCAL);
            if (!h.equals(MemorySegment.NULL)) {
                int ignored = (int) dlclose.invokeExact(h);
                return "dlopen failed from Java but not from C";
            }
            MemorySegment msg = (MemorySegment) dlerror.invokeExact();
            return msg.equals(MemorySegment.NULL) ? "dlopen failed" : msg.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "dlopen failed (" + t + ")";
        }
    }
}
