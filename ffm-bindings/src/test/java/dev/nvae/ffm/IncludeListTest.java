package dev.nvae.ffm;

import dev.nvae.ffm.cuda.cublas_v2_h;
import dev.nvae.ffm.cuda.cuda_h;
import dev.nvae.ffm.cuda.cuda_runtime_api_h;
import dev.nvae.ffm.cuda.nvrtc_h;
import dev.nvae.ffm.dnnl.dnnl_h;
import dev.nvae.ffm.dnnl.omp_h;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Each header class holds exactly the symbols its include list names, so regenerating with jextract is a no-op. */
class IncludeListTest {

    @Test
    void dnnlHeaderClassMatchesJextractIncludes() throws Exception {
        check(dnnl_h.class, IncludeList.read("jextract-includes.txt"));
    }

    @Test
    void ompHeaderClassMatchesItsIncludes() throws Exception {
        check(omp_h.class, IncludeList.read("jextract-includes-omp.txt"));
    }

    @Test
    void cudaHeaderClassMatchesItsIncludes() throws Exception {
        check(cuda_runtime_api_h.class, IncludeList.read("jextract-includes-cudart.txt"));
    }

    @Test
    void cublasHeaderClassMatchesItsIncludes() throws Exception {
        check(cublas_v2_h.class, IncludeList.read("jextract-includes-cublas.txt"));
    }

    @Test
    void nvrtcHeaderClassMatchesItsIncludes() throws Exception {
        check(nvrtc_h.class, IncludeList.read("jextract-includes-nvrtc.txt"));
    }

    @Test
    void cudaDriverHeaderClassMatchesItsIncludes() throws Exception {
        check(cuda_h.class, IncludeList.read("jextract-includes-cuda.txt"));
    }

    private static void check(Class<?> header, IncludeList includes) throws ClassNotFoundException {
        Set<String> methods = Arrays.stream(header.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> !n.contains("$"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = Stream.concat(includes.functions().stream(), includes.constants().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(listed, methods, header.getSimpleName() + ": functions and constants");

        for (String f : includes.functions()) {
            for (String suffix : new String[]{"$descriptor", "$handle", "$address"}) {
                assertDoesNotThrow(() -> header.getMethod(f + suffix), f + suffix);
            }
        }
        Set<String> typedefFields = Arrays.stream(header.getDeclaredFields())
                .filter(f -> Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .filter(n -> !n.startsWith("C_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(includes.typedefs()), typedefFields, header.getSimpleName() + ": typedefs");
        for (String s : includes.structs()) {
            Class.forName(header.getPackageName() + "." + s);
        }
    }
}
