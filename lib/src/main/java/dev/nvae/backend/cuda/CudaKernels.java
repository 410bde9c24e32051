package dev.nvae.backend.cuda;

import dev.nvae.ffm.cuda.CudaErrors;
import dev.nvae.ffm.cuda.CudaException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import static dev.nvae.ffm.cuda.cuda_h.cuLaunchKernel;
import static dev.nvae.ffm.cuda.cuda_h.cuModuleGetFunction;
import static dev.nvae.ffm.cuda.cuda_h.cuModuleLoadData;
import static dev.nvae.ffm.cuda.cuda_h.cuModuleUnload;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcCompileProgram;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcCreateProgram;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcDestroyProgram;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcGetPTX;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcGetPTXSize;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcGetProgramLog;
import static dev.nvae.ffm.cuda.nvrtc_h.nvrtcGetProgramLogSize;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernels of {@code kernels.cu} (a resource beside this class), compiled by NVRTC for the device's
 * virtual architecture ({@code compute_XY}: the driver turns the PTX into machine code for the exact chip
 * when the module loads) and launched with the driver API. Each method queues one kernel on the device's
 * stream, one thread per element in a grid-stride loop, so any grid covers any size.
 *
 * <p>Launch arguments go through one preallocated block: {@code cuLaunchKernel} takes an array of
 * pointers to the argument values, which here point at fixed 8-byte slots, filled before each launch.
 * The driver copies the values when it queues the launch, so the slots can be refilled at once.
 */
public final class CudaKernels implements AutoCloseable {
    static final String SOURCE = "kernels.cu";
    private static final int BLOCK = 256;
    /** Enough blocks to fill any current GPU several times over; larger sizes loop. */
    private static final int MAX_GRID = 8192;
    private static final int MAX_ARGS = 24;

    enum Kernel {
        BIAS_ROWS("nvae_bias_rows"), BIAS_CHANNELS("nvae_bias_channels"), RELU_BACKWARD("nvae_relu_backward"),
        SIGMOID("nvae_sigmoid"), IM2COL("nvae_im2col"), COL2IM("nvae_col2im"), NCHW_TO_CN("nvae_nchw_to_cn"),
        CN_TO_NCHW("nvae_cn_to_nchw"), FILL("nvae_fill"), ENCODER_INPUT("nvae_encoder_input"),
        LATENT_SAMPLE("nvae_latent_sample"), LIKELIHOOD("nvae_likelihood"), LATENT_TERMS("nvae_latent_terms"),
        HEADS_GRADIENT("nvae_heads_gradient"), ADAM("nvae_adam"), CHECK_FINITE("nvae_check_finite"),
        ROW_WEIGHTS("nvae_row_weights"), BALANCE("nvae_balance");

        final String symbol, launchCall;

        Kernel(String symbol) {
            this.symbol = symbol;
            this.launchCall = "cuLaunchKernel(" + symbol + ")";   // built once, not per launch
        }
    }

    private final MemorySegment module, stream;
    private final Map<Kernel, MemorySegment> functions = new EnumMap<>(Kernel.class);
    private final MemorySegment slots, params;

    private CudaKernels(Arena arena, MemorySegment module, MemorySegment stream) {
        this.module = module;
        this.stream = stream;
        this.slots = arena.allocate(8L * MAX_ARGS, 8);
        this.params = arena.allocate(ADDRESS, MAX_ARGS);
        for (int i = 0; i < MAX_ARGS; i++) params.setAtIndex(ADDRESS, i, slots.asSlice(8L * i, 8));
        MemorySegment out = arena.allocate(ADDRESS);
        for (Kernel k : Kernel.values()) {
            try (Arena local = Arena.ofConfined()) {
                CudaErrors.driver("cuModuleGetFunction(" + k.symbol + ")",
                        cuModuleGetFunction(out, module, local.allocateFrom(k.symbol)));
            }
            functions.put(k, out.get(ADDRESS, 0));
        }
    }

    /** Compiles kernels.cu for compute capability major.minor and loads it into the current context. */
    static CudaKernels compile(Arena arena, MemorySegment stream, int major, int minor) {
        // No fused multiply-adds: Java's float arithmetic never fuses, so the element-wise kernels round as the
        // CPU backends do (the loss, the heads' gradient and Adam then agree with them to the last bit or two).
        byte[] ptx = ptx(source(), "--gpu-architecture=compute_" + major + minor, "--fmad=false");
        MemorySegment out = arena.allocate(ADDRESS);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment image = local.allocate(ptx.length + 1L);
            MemorySegment.copy(ptx, 0, image, JAVA_BYTE, 0, ptx.length);
            CudaErrors.driver("cuModuleLoadData(" + SOURCE + ")", cuModuleLoadData(out, image));
        }
        MemorySegment module = out.get(ADDRESS, 0);
        try {
            return new CudaKernels(arena, module, stream);
        } catch (RuntimeException | Error e) {
            cuModuleUnload(module);
            throw e;
        }
    }

    /** The kernel source, as shipped in the jar. */
    public static String source() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) throw new IllegalStateException(SOURCE + " missing from the nvae jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(SOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * NVRTC: source → PTX with the given options. A compilation error becomes an exception that carries
     * NVRTC's log (the compiler's messages with line numbers).
     */
    static byte[] ptx(String source, String... options) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment progOut = local.allocate(ADDRESS);
            CudaErrors.nvrtc("nvrtcCreateProgram", nvrtcCreateProgram(progOut, local.allocateFrom(source),
                    local.allocateFrom(SOURCE), 0, MemorySegment.NULL, MemorySegment.NULL));
            MemorySegment prog = progOut.get(ADDRESS, 0);
            try {
                MemorySegment opts = local.allocate(ADDRESS, options.length);
                for (int i = 0; i < options.length; i++) opts.setAtIndex(ADDRESS, i, local.allocateFrom(options[i]));
                int result = nvrtcCompileProgram(prog, options.length, opts);
                if (result != 0) {
                    String log = log(local, prog);
                    try {
                        CudaErrors.nvrtc("nvrtcCompileProgram(" + SOURCE + ")", result);
                    } catch (CudaException e) {
                        throw new IllegalStateException(e.getMessage() + (log.isBlank() ? "" : ": " + log.strip()), e);
                    }
                }
                MemorySegment size = local.allocate(JAVA_LONG);
                CudaErrors.nvrtc("nvrtcGetPTXSize", nvrtcGetPTXSize(prog, size));
                MemorySegment ptx = local.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
                CudaErrors.nvrtc("nvrtcGetPTX", nvrtcGetPTX(prog, ptx));
                return ptx.getString(0).getBytes(StandardCharsets.UTF_8);
            } finally {
                progOut.set(ADDRESS, 0, prog);
                nvrtcDestroyProgram(progOut);
            }
        }
    }

    private static String log(Arena local, MemorySegment prog) {
        MemorySegment size = local.allocate(JAVA_LONG);
        if (nvrtcGetProgramLogSize(prog, size) != 0) return "";
        MemorySegment text = local.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        return nvrtcGetProgramLog(prog, text) == 0 ? text.getString(0) : "";
    }

    // ---- launches: one method per kernel, arguments as in kernels.cu -----------------------------------------

    public void biasRows(long y, long b, int rows, int cols, boolean relu) {
        ptr(0, y); ptr(1, b); i32(2, rows); i32(3, cols); i32(4, relu ? 1 : 0);
        launch(Kernel.BIAS_ROWS, (long) rows * cols);
    }

    public void biasChannels(long y, long b, int batch, int channels, int pixels, boolean relu) {
        ptr(0, y); ptr(1, b); i32(2, batch); i32(3, channels); i32(4, pixels); i32(5, relu ? 1 : 0);
        launch(Kernel.BIAS_CHANNELS, (long) batch * channels * pixels);
    }

    public void reluBackward(long dy, long y, int n) {
        ptr(0, dy); ptr(1, y); i32(2, n);
        launch(Kernel.RELU_BACKWARD, n);
    }

    public void sigmoid(long in, long out, int n) {
        ptr(0, in); ptr(1, out); i32(2, n);
        launch(Kernel.SIGMOID, n);
    }

    public void im2col(long x, long col, int batch, int ci, int h, int w, int k, int stride, int pad, int oh, int ow) {
        ptr(0, x); ptr(1, col); i32(2, batch); i32(3, ci); i32(4, h); i32(5, w); i32(6, k); i32(7, stride);
        i32(8, pad); i32(9, oh); i32(10, ow);
        launch(Kernel.IM2COL, (long) ci * k * k * batch * oh * ow);
    }

    public void col2im(long col, long x, int batch, int ci, int h, int w, int k, int stride, int pad, int oh, int ow) {
        ptr(0, col); ptr(1, x); i32(2, batch); i32(3, ci); i32(4, h); i32(5, w); i32(6, k); i32(7, stride);
        i32(8, pad); i32(9, oh); i32(10, ow);
        launch(Kernel.COL2IM, (long) batch * ci * h * w);
    }

    public void nchwToCn(long src, long dst, int batch, int channels, int pixels) {
        ptr(0, src); ptr(1, dst); i32(2, batch); i32(3, channels); i32(4, pixels);
        launch(Kernel.NCHW_TO_CN, (long) batch * channels * pixels);
    }

    /** bias 0 for none. */
    public void cnToNchw(long src, long bias, long dst, int batch, int channels, int pixels, boolean relu) {
        ptr(0, src); ptr(1, bias == 0 ? src : bias); ptr(2, dst); i32(3, batch); i32(4, channels); i32(5, pixels);
        i32(6, bias == 0 ? 0 : 1); i32(7, relu ? 1 : 0);
        launch(Kernel.CN_TO_NCHW, (long) batch * channels * pixels);
    }

    public void fill(long out, int n, float value) {
        ptr(0, out); i32(1, n); i32(2, Float.floatToRawIntBits(value));
        launch(Kernel.FILL, n);
    }

    // ---- the latent family and Adam (see LatentLayout for the column layout they share) ---------------------

    public void encoderInput(long x, long labels, long encIn, int batch, int d, int cols, int positions) {
        ptr(0, x); ptr(1, labels); ptr(2, encIn); i32(3, batch); i32(4, d); i32(5, cols); i32(6, positions);
        launch(Kernel.ENCODER_INPUT, (long) batch * cols);
    }

    public void latentSample(long heads, long eps, long rows, long decIn, int n, int headsCols, int decCols,
                             int ds, int dc, int k) {
        ptr(0, heads); ptr(1, eps); ptr(2, rows); ptr(3, decIn); i32(4, n); i32(5, headsCols); i32(6, decCols);
        i32(7, ds); i32(8, dc); i32(9, k);
        launch(Kernel.LATENT_SAMPLE, (long) n * decCols);
    }

    public void rowWeights(long heads, long labels, long rows, long weight, int n, int headsCols, int logitsCol, int k,
                           boolean logits, float invB) {
        ptr(0, heads); ptr(1, labels); ptr(2, rows); ptr(3, weight); i32(4, n); i32(5, headsCols); i32(6, logitsCol);
        i32(7, k); i32(8, logits ? 1 : 0); f32(9, invB);
        launch(Kernel.ROW_WEIGHTS, n);
    }

    public void likelihood(long out, long x, long rows, long weight, long grad, long loss, int n, int d,
                           boolean gaussian, float invVar) {
        ptr(0, out); ptr(1, x); ptr(2, rows); ptr(3, weight); ptr(4, grad); ptr(5, loss); i32(6, n); i32(7, d);
        i32(8, gaussian ? 1 : 0); f32(9, invVar);
        launch(Kernel.LIKELIHOOD, (long) n * d);
    }

    public void latentTerms(long heads, long labels, long first, long loss, long rowTerm, long terms, int batch,
                            int headsCols, int d, int ds, int dc, int k, boolean logits, float recScale,
                            float recOffset, float betaC) {
        ptr(0, heads); ptr(1, labels); ptr(2, first); ptr(3, loss); ptr(4, rowTerm); ptr(5, terms); i32(6, batch);
        i32(7, headsCols); i32(8, d); i32(9, ds); i32(10, dc); i32(11, k); i32(12, logits ? 1 : 0);
        f32(13, recScale); f32(14, recOffset); f32(15, betaC);
        launch(Kernel.LATENT_TERMS, batch);
    }

    public void balance(long heads, long labels, long balance, int batch, int headsCols, int logitsCol, int k) {
        ptr(0, heads); ptr(1, labels); ptr(2, balance); i32(3, batch); i32(4, headsCols); i32(5, logitsCol); i32(6, k);
        launch(Kernel.BALANCE, 1);
    }

    public void headsGradient(long heads, long eps, long labels, long first, long dDecIn, long rowTerm, long balance,
                              long dHeads, int batch, int headsCols, int decCols, int ds, int dc, int k, boolean logits,
                              float wS, float wC, float wCe, float yKl, float wBalance, float invB) {
        ptr(0, heads); ptr(1, eps); ptr(2, labels); ptr(3, first); ptr(4, dDecIn); ptr(5, rowTerm); ptr(6, balance);
        ptr(7, dHeads); i32(8, batch); i32(9, headsCols); i32(10, decCols); i32(11, ds); i32(12, dc); i32(13, k);
        i32(14, logits ? 1 : 0); f32(15, wS); f32(16, wC); f32(17, wCe); f32(18, yKl); f32(19, wBalance); f32(20, invB);
        launch(Kernel.HEADS_GRADIENT, (long) batch * headsCols);
    }

    public void adam(long p, long g, long m, long v, long flags, int n, float beta1, float beta2, float stepSize,
                     float invSqrtBc2, float eps) {
        ptr(0, p); ptr(1, g); ptr(2, m); ptr(3, v); ptr(4, flags); i32(5, n); f32(6, beta1); f32(7, beta2);
        f32(8, stepSize); f32(9, invSqrtBc2); f32(10, eps);
        launch(Kernel.ADAM, n);
    }

    public void checkFinite(long x, long flags, int n, int slot) {
        ptr(0, x); ptr(1, flags); i32(2, n); i32(3, slot);
        launch(Kernel.CHECK_FINITE, n);
    }

    /** A float argument, passed by its bits as an int (the kernels read it back with __int_as_float). */
    private void f32(int i, float value) {
        i32(i, Float.floatToRawIntBits(value));
    }

    private void ptr(int i, long address) {
        slots.set(JAVA_LONG, 8L * i, address);
    }

    private void i32(int i, int value) {
        slots.set(JAVA_INT, 8L * i, value);
    }

    private void launch(Kernel k, long n) {
        if (n <= 0) return;
        int grid = (int) Math.min(MAX_GRID, (n + BLOCK - 1) / BLOCK);
        CudaErrors.driver(k.launchCall, cuLaunchKernel(functions.get(k), grid, 1, 1, BLOCK, 1, 1,
                0, stream, params, MemorySegment.NULL));
    }

    @Override
    public void close() {
        CudaErrors.driver("cuModuleUnload", cuModuleUnload(module));
    }
}
