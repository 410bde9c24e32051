package dev.nvae.ffm;

import dev.nvae.ffm.cuda.CudaErrors;
import dev.nvae.ffm.cuda.CudaException;
import dev.nvae.ffm.cuda.CudaLibraries;
import dev.nvae.ffm.cuda.cublas_v2_h;
import dev.nvae.ffm.cuda.cuda_h;
import dev.nvae.ffm.cuda.cuda_runtime_api_h;
import dev.nvae.ffm.cuda.nvrtc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Child-process entry point for {@link CudaStubTest}, started with the four CUDA override properties pointing at
 * a {@link CudaStubs} library: prints, as key=value lines, which file each library loaded from, whether every
 * binding's downcall handle has its Java method's type (so invokeExact cannot fail on a real library), and the
 * messages {@link CudaErrors} builds from the stub's error texts. Argument {@code bare}: the stub has no
 * error-text functions, so the handle check (which links every function) is left out.
 */
public final class CudaStubMain {

    public static void main(String[] args) throws Exception {
        for (String which : List.of(CudaLibraries.CUDART, CudaLibraries.CUBLAS, CudaLibraries.NVRTC, CudaLibraries.DRIVER)) {
            System.out.println("before." + which + "=" + CudaLibraries.loaded(which).orElse(""));
            CudaLibraries.lookup(which);
            System.out.println("loaded." + which + "=" + CudaLibraries.loaded(which).orElse(""));
        }
        if (!List.of(args).contains("bare")) {
            checkHandles();
        }

        CudaErrors.runtime("cudaSetDevice", cuda_runtime_api_h.cudaSuccess());   // success returns quietly
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            report("runtime", () -> CudaErrors.runtime("cudaGetDeviceCount", cuda_runtime_api_h.cudaGetDeviceCount(count)));
        }
        report("cublas", () -> CudaErrors.cublas("cublasSgemm_v2", cublas_v2_h.CUBLAS_STATUS_INVALID_VALUE()));
        report("nvrtc", () -> CudaErrors.nvrtc("nvrtcCompileProgram", nvrtc_h.NVRTC_ERROR_COMPILATION()));
        report("driver", () -> CudaErrors.driver("cuModuleLoadData", cuda_h.CUDA_ERROR_INVALID_PTX()));
        report("driverUnknown", () -> CudaErrors.driver("cuLaunchKernel", 12345));
        System.out.println("describe.cublas=" + CudaLibraries.describe(CudaLibraries.CUBLAS));
    }

    /** Every binding's downcall handle against its public method: a stub without error texts lacks some symbols. */
    private static void checkHandles() throws Exception {
        List<String> mismatched = new ArrayList<>();
        int checked = 0;
        Class<?>[] headers = {cuda_runtime_api_h.class, cublas_v2_h.class, nvrtc_h.class, cuda_h.class};
        for (int i = 0; i < headers.length; i++) {
            for (String f : IncludeList.read(CudaStubs.INCLUDE_LISTS.get(i)).functions()) {
                Method m = Arrays.stream(headers[i].getMethods()).filter(x -> x.getName().equals(f)).findFirst().orElseThrow();
                MethodHandle h = (MethodHandle) headers[i].getMethod(f + "$handle").invoke(null);
                if (!h.type().equals(MethodType.methodType(m.getReturnType(), m.getParameterTypes()))) {
                    mismatched.add(f + " " + h.type());
                }
                checked++;
            }
        }
        System.out.println("handlesChecked=" + checked);
        System.out.println("handlesMismatched=" + String.join("; ", mismatched));
    }

    private static void report(String key, Runnable call) {
        try {
            call.run();
            System.out.println(key + "=no exception");
        } catch (CudaException e) {
            System.out.println(key + "=" + e.getMessage());
            System.out.println(key + ".parts=" + e.library() + "|" + e.call() + "|" + e.code());
        }
    }
}
