package dev.nvae.backend;

import dev.nvae.NvaeException;
import dev.nvae.backend.onednn.OpenMpThreads;
import dev.nvae.ffm.DnnlException;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.ffm.DnnlLoadResult;
import dev.nvae.ffm.cuda.CudaException;
import dev.nvae.ffm.cuda.CudaProbe;
import dev.nvae.ffm.cuda.CudaRuntime;
import dev.nvae.ffm.cuda.CudaUnavailableException;
import dev.nvae.ffm.DnnlVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.nvae.ffm.dnnl.dnnl_h.DNNL_RUNTIME_OMP;
import static dev.nvae.ffm.dnnl.dnnl_h.DNNL_RUNTIME_SEQ;
import static dev.nvae.ffm.dnnl.dnnl_h.dnnl_cpu_isa_avx2;
import static dev.nvae.ffm.dnnl.dnnl_h.dnnl_cpu_isa_avx512_core_amx;
import static dev.nvae.ffm.dnnl.dnnl_h.dnnl_cpu_isa_avx512_core_bf16;

/**
 * Chooses the backend once at start-up: {@code vector}, {@code onednn}, {@code auto}, or {@code cuda} (a GPU,
 * only when asked for by name).
 *
 * <p>The {@code auto} rule (decided, not measured at start-up, so that a run's backend — and with it the
 * last bits of its results — does not depend on how busy the machine was): use oneDNN when it loads, its
 * CPU runtime lets {@code --threads} bind it (OpenMP or sequential), and the ISA it dispatches to includes
 * AVX2. From AVX2 up oneDNN runs JIT-generated brgemm kernels for every GEMM shape of a training step —
 * including the transposed ones of the backward pass, which it reads in place — with bias and ReLU fused,
 * and it is the implementation tuned per micro-architecture; below AVX2 (SSE4.1/AVX, no FMA) it falls back
 * to kernels with no edge over the Vector API path. Otherwise {@code vector}, with a one-line notice.
 */
public final class Backends {
    private Backends() {
    }

    /**
     * Whether a run's weights may depend on the thread count on backend {@code name}. The vector backend splits its
     * work so that every thread count sums in the same order, and cuda's sums do not involve the CPU's threads; oneDNN
     * promises no such thing (a kernel may split a reduction across threads: its convolutions on AVX-512 do).
     */
    public static boolean threadsChangeResults(String name) {
        return name.equals("onednn");
    }

    /** As {@link #create(String, int, Consumer)}, with notices to stderr. */
    public static Backend create(String name, int threads) {
        return create(name, threads, System.err::println);
    }

    /** What a backend is opened for: bf16 training needs more of the CPU than bf16 inference. */
    public enum Use { INFERENCE, TRAINING }

    /**
     * A backend at a precision. At {@link Precision#BF16} the named backend is wrapped in a {@link Bf16Backend}
     * whose products are oneDNN's bf16 matmul where oneDNN runs and the CPU has bf16 instructions
     * (avx512_bf16 or amx_bf16), else the vector kernels that widen bf16 weights in registers — inference
     * only. Training in bf16 is refused, with one line naming what is missing, where it would need
     * emulation (about ten times the cost of f32).
     *
     * @throws NvaeException as {@link #create(String, int, Consumer)}, and for bf16 training this machine cannot run
     */
    public static Backend create(String name, int threads, Precision precision, Use use, Consumer<String> notices) {
        if (precision == Precision.FP32) return create(name, threads, notices);
        if (name.equals("cuda")) throw new NvaeException("--precision bf16: the cuda backend computes in float32 only; give --precision fp32");
        if (use == Use.TRAINING) {
            String missing = missingForBf16Training(name);
            if (missing != null) throw new NvaeException("--precision bf16: " + missing);
        }
        Backend inner = create(name, threads, notices);
        try {
            if (use == Use.TRAINING && !(inner instanceof OneDnnBackend)) {
                throw new NvaeException("--precision bf16: training in bf16 runs on oneDNN, and the " + inner.name()
                        + " backend was chosen; give --backend onednn");
            }
            if (inner instanceof OneDnnBackend onednn && CpuFeatures.hasBf16() && bf16Isa() == null) {
                return new Bf16Backend(inner, onednn.bf16Products(), new VectorBf16Products(inner.workers()));
            }
            return new Bf16Backend(inner, new VectorBf16Products(inner.workers()));
        } catch (RuntimeException | Error e) {
            inner.close();
            throw e;
        }
    }

    /** Why bf16 training cannot run here, one line naming the CPU flag, backend or ISA missing; null if it can. */
    static String missingForBf16Training(String backend) {
        if (!CpuFeatures.hasBf16()) {
            return "training in bf16 needs a CPU with " + String.join(" or ", CpuFeatures.BF16_FLAGS)
                    + ", and this one has neither (see nvae info); train at --precision fp32";
        }
        if (backend.equals("vector")) {
            return "training in bf16 runs on oneDNN; the vector backend holds bf16 weights for inference only (give --backend onednn)";
        }
        DnnlLoadResult r = DnnlLibrary.load();
        if (!r.available()) return "training in bf16 runs on oneDNN, which is unavailable: " + r.reason();
        return bf16Isa();
    }

    /** Null when oneDNN dispatches to an ISA with bf16 instructions, else why not. Loads oneDNN. */
    private static String bf16Isa() {
        int isa = DnnlLibrary.effectiveCpuIsaValue();
        int bf16 = dnnl_cpu_isa_avx512_core_bf16(), amx = dnnl_cpu_isa_avx512_core_amx();
        // Bit sets, as in reasonAgainstOneDnn: an ISA includes another when it has all of its bits.
        if ((isa & bf16) == bf16 || (isa & amx) == amx) return null;
        return "oneDNN dispatches to " + DnnlLibrary.cpuIsaName(isa) + " here, which has no bf16 instructions";
    }

    /**
     * @param notices receives the one-line notice when {@code auto} falls back to {@code vector}
     * @throws NvaeException with a one-line message naming the flag for bad values, or when
     *                       {@code --backend onednn} cannot be provided
     */
    public static Backend create(String name, int threads, Consumer<String> notices) {
        if (threads < 1) throw new NvaeException("--threads " + threads + " must be at least 1");
        return switch (name) {
            case "vector" -> new VectorBackend(threads);
            case "onednn" -> oneDnn(threads);
            case "auto" -> auto(threads, notices);
            case "cuda" -> cuda(threads);
            default -> throw new NvaeException("--backend " + NvaeException.shown(name) + ": expected vector, onednn, auto or cuda");
        };
    }

    private static Backend oneDnn(int threads) {
        OpenMpThreads.configureBeforeLoad(threads);
        DnnlLoadResult r = DnnlLibrary.load();
        if (!r.available()) throw new NvaeException("--backend onednn: oneDNN unavailable: " + r.reason());
        String unsupported = unsupportedRuntime();
        if (unsupported != null) throw new NvaeException("--backend onednn: " + unsupported);
        return new OneDnnBackend(threads);
    }

    /**
     * The GPU, or one line naming why not (no runtime library, no driver, no device, a kernel that would not
     * compile). Never a fallback to the CPU: a job that asked for the GPU and silently ran on two cores would
     * take hours where minutes were expected.
     */
    private static Backend cuda(int threads) {
        try {
            return new CudaBackend(threads);
        } catch (CudaUnavailableException | CudaException | IllegalStateException e) {
            throw new NvaeException("--backend cuda: " + e.getMessage());
        }
    }

    /** What {@code info} says of CUDA: the device it would use, or why there is none. Opens the device when there is one. */
    static String describeCuda() {
        CudaProbe probe = CudaRuntime.probe();
        if (!probe.available()) return "unavailable, " + probe.reason() + " (--backend cuda fails; auto never picks it)";
        try (CudaBackend be = new CudaBackend(1)) {
            return "available, " + be.deviceName() + "; " + probe.describe() + " (give --backend cuda; auto stays on the CPU)";
        } catch (CudaUnavailableException | CudaException | IllegalStateException e) {
            return "unusable, " + e.getMessage();
        }
    }

    private static Backend auto(int threads, Consumer<String> notices) {
        OpenMpThreads.configureBeforeLoad(threads);
        String against = reasonAgainstOneDnn();
        if (against == null) {
            try {
                return new OneDnnBackend(threads);
            } catch (DnnlException e) {  // e.g. no CPU engine: still a reason to fall back, not to stop
                against = "oneDNN unusable: " + e.getMessage();
            }
        }
        notices.accept("nvae: " + against + "; using the vector backend");
        return new VectorBackend(threads);
    }

    /** Why {@code auto} would not pick oneDNN, one line; null when it would. Loads oneDNN. */
    static String reasonAgainstOneDnn() {
        DnnlLoadResult r = DnnlLibrary.load();
        if (!r.available()) return "oneDNN unavailable: " + r.reason();
        String unsupported = unsupportedRuntime();
        if (unsupported != null) return unsupported;
        int isa = DnnlLibrary.effectiveCpuIsaValue();
        int avx2 = dnnl_cpu_isa_avx2();
        // dnnl_cpu_isa_t values are bit sets: an ISA includes AVX2 when it has all of AVX2's bits.
        if ((isa & avx2) != avx2) {
            return "oneDNN dispatches to " + DnnlLibrary.cpuIsaName(isa) + " here, below avx2";
        }
        return null;
    }

    private static String unsupportedRuntime() {
        int runtime = DnnlLibrary.version().cpuRuntime();
        if (runtime == DNNL_RUNTIME_OMP() || runtime == DNNL_RUNTIME_SEQ()) return null;
        return "the loaded oneDNN uses the " + DnnlVersion.runtimeName(runtime)
                + " CPU runtime, which --threads cannot control (OpenMP or sequential builds only)";
    }

    /** What --precision bf16 runs on here, one line. Loads oneDNN. */
    static String describeBf16() {
        String inference = "inference on vector (bf16-weight kernels, dense layers only)";
        if (!CpuFeatures.hasBf16()) {
            return inference + " only; training needs " + String.join(" or ", CpuFeatures.BF16_FLAGS) + ", absent here";
        }
        String training = missingForBf16Training("onednn");
        if (training == null) return "training and inference on onednn (bf16 matmul and convolutions); " + inference;
        return inference + " only; " + training;
    }

    /** One line per backend, and what {@code auto} picks, for {@code info}. Loads oneDNN. */
    public static List<String> describeAvailable() {
        List<String> lines = new ArrayList<>();
        lines.add(VectorBackend.describe() + ": available");
        DnnlLoadResult r = DnnlLibrary.load();
        if (r.available()) {
            DnnlVersion v = r.version();
            lines.add("onednn (oneDNN " + v + ", " + r.source() + " " + r.library() + "; CPU runtime "
                    + DnnlVersion.runtimeName(v.cpuRuntime()) + ", effective ISA " + DnnlLibrary.effectiveCpuIsa()
                    + "): " + (unsupportedRuntime() == null ? "available" : "unusable, " + unsupportedRuntime()));
        } else {
            lines.add("onednn: unavailable, " + r.reason());
        }
        String against = reasonAgainstOneDnn();
        lines.add("auto: " + (against == null ? "onednn" : "vector (" + against + ")"));
        lines.add("bf16: " + describeBf16());
        lines.add("cuda: " + describeCuda());
        return lines;
    }
}
