package dev.nvae.backend;

import dev.nvae.backend.cuda.CudaDevice;
import dev.nvae.backend.cuda.CudaKernels;
import dev.nvae.backend.cuda.DeviceBuffer;
import dev.nvae.backend.cuda.PassMemory;
import dev.nvae.backend.cuda.ResidentWeights;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaGetLastError;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaHostRegister;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaHostUnregister;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The layers' operations on one NVIDIA GPU: GEMMs on cuBLAS, bias/ReLU, sigmoid and the convolutions'
 * index work as NVRTC-compiled kernels ({@code kernels.cu}), a convolution being one GEMM over the whole
 * batch between im2col (or its adjoint col2im) and a permute back to NCHW.
 *
 * <p>What lives where: the weights a caller {@linkplain #adoptWeights adopts} stay on the device (sent
 * once, then once per step of a run that updates them on the host). Inside a pass ({@link #beginPass}) the
 * activations stay there too: each operation reads what the previous one wrote, and the pass's results go
 * back to the host at its end, behind one wait ({@link PassMemory}). A training step is one such pass from
 * end to end: the latent family's work runs here as kernels ({@link #latentKernels()}) — unlabelled examples'
 * bound included — and only the per-example loss terms come back. A run that {@linkplain #deviceTraining trains on the device}
 * also keeps the gradients and Adam's moments here and updates the weights here, so that a step sends its
 * batch (inputs, labels, noise) and receives its loss terms, with one wait. An operation called outside a
 * pass sends its inputs to reused device buffers and copies its outputs back before it returns.
 * Element-wise work outside the layers and the family's kernels (evaluation's loss) runs on
 * {@link #workers()}, Java threads as on the CPU backends.
 *
 * <p>Results agree with the vector backend to float32 rounding (cuBLAS sums in its own order); they do not
 * depend on the thread count, and the kernels are deterministic (no atomics).
 */
public final class CudaBackend implements Backend {
    // Staging buffers: inputs, outputs and the convolutions' intermediates, each reused by every call.
    private static final int X = 0, W = 1, B = 2, Y = 3, COL = 4, PERM = 5, PERM2 = 6, SLOTS = 7;

    private final CudaDevice device;
    private final CudaKernels kernels;
    private final WorkerPool pool;
    private final DeviceBuffer[] slots = new DeviceBuffer[SLOTS];
    private final DeviceBuffer onesBuffer;
    private long onesCount;
    private final List<ResidentWeights> resident = new ArrayList<>();
    private final PassMemory pass;
    private int passDepth;
    private final DeviceBuffer lossScratch;
    private final Latents latents = new Latents();
    // The update checks of a run training on the device: 3 flags written by kernels, read back into page-locked
    // host memory so that the copy is queued without a wait (a copy to pageable memory would wait for Adam).
    private final Arena hostArena = Arena.ofShared();
    private final DeviceBuffer flags;
    private final MemorySegment flagsHost;
    private final boolean flagsPinned;
    private Training training;

    /**
     * At most this many Java threads for the work around the GPU's (the latent family's per-example terms,
     * Adam over the parameters): that work is light, and a larger pool of spinning workers only competes
     * with the thread that drives the GPU. Measured on an H200 with 16 cores, mlp, 100 steps of batch 128
     * after a first epoch: 39,202 examples/s with 16 threads, 60,302 with 4, 38,184 with 1.
     */
    static final int MAX_HOST_THREADS = 4;

    /** Opens device 0; {@code threads} (at most {@link #MAX_HOST_THREADS}) Java threads for the work around the GPU's. */
    public CudaBackend(int threads) {
        this.device = CudaDevice.open(0);
        this.kernels = device.kernels();
        this.pool = new WorkerPool(Math.min(threads, MAX_HOST_THREADS));
        for (int i = 0; i < SLOTS; i++) slots[i] = new DeviceBuffer(device);
        this.onesBuffer = new DeviceBuffer(device);
        this.pass = new PassMemory(device);
        this.lossScratch = new DeviceBuffer(device);
        this.flags = new DeviceBuffer(device);
        this.flagsHost = hostArena.allocate(4096, 4096);
        this.flagsPinned = cudaHostRegister(flagsHost, flagsHost.byteSize(), 0) == 0;
        if (!flagsPinned) cudaGetLastError();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    /** "NVIDIA H200 (sm_90, 132 multiprocessors)". */
    public String deviceName() {
        return device.describe();
    }

    /** Sends the weights to the device now; {@link AdoptedWeights#changed()} sends them again. */
    @Override
    public AdoptedWeights adoptWeights(FlatParameters params) {
        device.bind();
        ResidentWeights weights = new ResidentWeights(device, params.flat());
        device.sync();
        resident.add(weights);
        return new AdoptedWeights() {
            @Override
            public void changed() {
                device.bind();
                weights.refresh();
            }

            @Override
            public void close() {
                if (resident.remove(weights)) {
                    device.bind();
                    device.sync();
                    weights.close();
                }
            }
        };
    }

    // ---- linear layers ------------------------------------------------------------------------------------

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        if (batch == 0) return;
        sameWidth(y, w);
        device.bind();
        long dx = in(X, x, batch), dw = in(W, w, w.rows()), db = in(B, b, 1), dy = out(Y, y, batch);
        device.gemm(false, false, batch, w.cols(), w.rows(), dx, x.cols(), dw, w.cols(), dy, y.cols(), false);
        kernels.biasRows(dy, db, batch, y.cols(), relu);
        finish(dy, y, batch);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        if (batch == 0) return;
        device.bind();
        long g = in(X, dy, batch), dw = in(W, w, w.rows()), d = out(Y, dx, batch);
        device.gemm(false, true, batch, w.rows(), w.cols(), g, dy.cols(), dw, w.cols(), d, dx.cols(), false);
        finish(d, dx, batch);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        device.bind();
        long dxp = in(X, x, batch), g = in(W, dy, batch);
        long gw = accumulate ? update(Y, dw, dw.rows()) : out(Y, dw, dw.rows());
        long gb = accumulate ? update(B, db, 1) : out(B, db, 1);
        weightProducts(x, dy, dw, db, batch, accumulate, dxp, g, gw, gb);
        result(gw, dw, dw.rows());
        result(gb, db, 1);
        done();
    }

    /** Both backward products from one upload of dy. */
    @Override
    public void linearBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx, int batch) {
        device.bind();
        long dxp = in(X, x, batch), g = in(W, dy, batch), gw = out(Y, dw, dw.rows()), gb = out(B, db, 1);
        weightProducts(x, dy, dw, db, batch, false, dxp, g, gw, gb);
        result(gw, dw, dw.rows());
        result(gb, db, 1);
        if (dx != null && batch > 0) {
            long wd = in(COL, w, w.rows()), d = out(PERM, dx, batch);
            device.gemm(false, true, batch, w.rows(), w.cols(), g, dy.cols(), wd, w.cols(), d, dx.cols(), false);
            result(d, dx, batch);
        }
        done();
    }

    /** dw = xᵀ·dy, db = 1ᵀ·dy (the bias gradient as a GEMM with a ones vector), over or onto their values. */
    private void weightProducts(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate,
                                long dxp, long g, long gw, long gb) {
        if (batch == 0 && !accumulate) {
            // No examples: the gradients are zero (cuBLAS would also write zeros for k = 0; say it plainly).
            kernels.fill(gw, Math.toIntExact(dw.size()), 0f);
            kernels.fill(gb, Math.toIntExact(db.size()), 0f);
            return;
        }
        if (batch == 0) return;
        device.gemm(true, false, dw.rows(), dw.cols(), batch, dxp, x.cols(), g, dy.cols(), gw, dw.cols(), accumulate);
        device.gemm(false, false, 1, dw.cols(), batch, ones(batch), batch, g, dy.cols(), gb, db.cols(), accumulate);
    }

    // ---- convolutions -------------------------------------------------------------------------------------
    // Geometry of convolution s: ci × h × w → co × oh × ow, kernel k. col is (ci·k·k) × (batch·oh·ow); a
    // "cn" matrix is (channels) × (batch·pixels), what one GEMM over the whole batch produces or consumes.

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        ConvOperands.check(s, x, s.inSize(), w, b, s.outChannels(), y, s.outSize(), batch);
        if (batch == 0) return;
        device.bind();
        long src = in(X, x, batch), wt = in(W, w, w.rows()), bias = b == null ? 0 : in(B, b, 1), dst = out(Y, y, batch);
        long cn = convolve(s, src, wt, batch);
        kernels.cnToNchw(cn, bias, dst, batch, s.outChannels(), pixelsOut(s), relu);
        finish(dst, y, batch);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.outSize(), w, null, 0, dx, s.inSize(), batch);
        if (batch == 0) return;
        device.bind();
        long g = in(X, dy, batch), wt = in(W, w, w.rows()), dst = out(Y, dx, batch);
        adjoint(s, g, wt, dst, batch);
        finish(dst, dx, batch);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        ConvOperands.check(s, x, s.inSize(), dw, db, s.outChannels(), dy, s.outSize(), batch);
        if (batch == 0) return;  // as the vector backend: nothing to compute or accumulate
        device.bind();
        long src = in(X, x, batch), g = in(W, dy, batch);
        long gw = accumulate ? update(Y, dw, dw.rows()) : out(Y, dw, dw.rows());
        long gb = db == null ? 0 : accumulate ? update(B, db, 1) : out(B, db, 1);
        long perm = cn(PERM, g, batch, s.outChannels(), pixelsOut(s));
        weightGradient(s, src, perm, gw, batch, accumulate);
        if (db != null) channelSums(perm, s.outChannels(), batch * pixelsOut(s), gb, accumulate);
        result(gw, dw, dw.rows());
        if (db != null) result(gb, db, 1);
        done();
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        ConvOperands.check(s, x, s.outSize(), w, b, s.inChannels(), y, s.inSize(), batch);
        if (batch == 0) return;
        device.bind();
        long src = in(X, x, batch), wt = in(W, w, w.rows()), dst = out(Y, y, batch);
        adjoint(s, src, wt, dst, batch);
        if (b != null || relu) {
            long bias = b != null ? in(B, b, 1) : zeros(B, s.inChannels());
            kernels.biasChannels(dst, bias, batch, s.inChannels(), s.inHeight() * s.inWidth(), relu);
        }
        finish(dst, y, batch);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.inSize(), w, null, 0, dx, s.outSize(), batch);
        if (batch == 0) return;
        device.bind();
        long g = in(X, dy, batch), wt = in(W, w, w.rows()), dst = out(Y, dx, batch);
        long cn = convolve(s, g, wt, batch);
        kernels.cnToNchw(cn, 0, dst, batch, s.outChannels(), pixelsOut(s), false);
        finish(dst, dx, batch);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        ConvOperands.check(s, dy, s.inSize(), dw, db, s.inChannels(), x, s.outSize(), batch);
        if (batch == 0) return;
        device.bind();
        // The convolution s's weight gradient with dy in its input's place and x in its output gradient's.
        long g = in(X, dy, batch), src = in(W, x, batch);
        long gw = accumulate ? update(Y, dw, dw.rows()) : out(Y, dw, dw.rows());
        long gb = db == null ? 0 : accumulate ? update(B, db, 1) : out(B, db, 1);
        long perm = cn(PERM, src, batch, s.outChannels(), pixelsOut(s));
        weightGradient(s, g, perm, gw, batch, accumulate);
        if (db != null) {
            int pixelsIn = s.inHeight() * s.inWidth();
            long gcn = cn(PERM2, g, batch, s.inChannels(), pixelsIn);
            channelSums(gcn, s.inChannels(), batch * pixelsIn, gb, accumulate);
            result(gb, db, 1);
        }
        result(gw, dw, dw.rows());
        done();
    }

    /** PERM ← W · im2col(src): the convolution's output, channel-major (co × batch·oh·ow); returns PERM's address. */
    private long convolve(ConvShape s, long src, long wt, int batch) {
        int cols = batch * pixelsOut(s), rows = s.weightColumns();
        long col = im2col(s, src, batch);
        long dst = reserve(PERM, (long) s.outChannels() * cols);
        device.gemm(false, false, s.outChannels(), cols, rows, wt, rows, col, cols, dst, cols, false);
        return dst;
    }

    /** dst ← col2im(Wᵀ · cn(g)): the convolution's adjoint of g (batch × co·oh·ow) into batch × ci·h·w. */
    private void adjoint(ConvShape s, long g, long wt, long dst, int batch) {
        int cols = batch * pixelsOut(s), rows = s.weightColumns();
        long perm = cn(PERM, g, batch, s.outChannels(), pixelsOut(s));
        long col = reserve(COL, (long) rows * cols);
        device.gemm(true, false, rows, cols, s.outChannels(), wt, rows, perm, cols, col, cols, false);
        kernels.col2im(col, dst, batch, s.inChannels(), s.inHeight(), s.inWidth(), s.kernel(), s.stride(), s.pad(),
                s.outHeight(), s.outWidth());
    }

    /** gw (co × ci·k·k) ← perm · im2col(src)ᵀ, perm the output gradient channel-major. */
    private void weightGradient(ConvShape s, long src, long perm, long gw, int batch, boolean accumulate) {
        int cols = batch * pixelsOut(s), rows = s.weightColumns();
        long col = im2col(s, src, batch);
        device.gemm(false, true, s.outChannels(), rows, cols, perm, cols, col, cols, gw, rows, accumulate);
    }

    private long im2col(ConvShape s, long src, int batch) {
        long col = reserve(COL, (long) s.weightColumns() * batch * pixelsOut(s));
        kernels.im2col(src, col, batch, s.inChannels(), s.inHeight(), s.inWidth(), s.kernel(), s.stride(), s.pad(),
                s.outHeight(), s.outWidth());
        return col;
    }

    /** A batch × channels × pixels tensor on the device, permuted into slot {@code slot} as channels × (batch·pixels). */
    private long cn(int slot, long src, int batch, int channels, int pixels) {
        long dst = reserve(slot, (long) channels * batch * pixels);
        kernels.nchwToCn(src, dst, batch, channels, pixels);
        return dst;
    }

    /** gb (channels) ← the row sums of a channels × n matrix, as a GEMM with a ones vector. */
    private void channelSums(long matrix, int channels, int n, long gb, boolean accumulate) {
        device.gemm(false, false, channels, 1, n, matrix, n, ones(n), 1, gb, 1, accumulate);
    }

    private static int pixelsOut(ConvShape s) {
        return s.outHeight() * s.outWidth();
    }

    // ---- element-wise -------------------------------------------------------------------------------------

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        if (batch == 0) return;
        device.bind();
        long g = update(X, dy, batch), v = in(W, y, batch);
        kernels.reluBackward(g, v, Math.toIntExact((long) batch * dy.cols()));
        finish(g, dy, batch);
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        if (batch == 0) return;
        device.bind();
        long src = in(X, in, batch), dst = out(Y, out, batch);
        kernels.sigmoid(src, dst, Math.toIntExact((long) batch * in.cols()));
        finish(dst, out, batch);
    }

    @Override
    public WorkerPool workers() {
        return pool;
    }

    // ---- staging ------------------------------------------------------------------------------------------

    /**
     * The first rows of t on the device: where the resident weights hold it; inside a pass, its pass copy
     * (sent only if not valid); else sent to slot {@code slot}.
     */
    private long in(int slot, Tensor t, int rows) {
        long bytes = (long) rows * t.cols() * Float.BYTES;
        for (ResidentWeights r : resident) {
            if (r.holds(t.segment(), bytes)) return r.deviceAddress(t.segment());
        }
        if (pass.active()) return pass.input(t, bytes);
        long address = reserve(slot, (long) rows * t.cols());
        device.upload(t.segment(), address, bytes);
        return address;
    }

    /** Room for the first rows of t, which the operation writes: its pass copy, or slot {@code slot} (then {@link #finish}). */
    private long out(int slot, Tensor t, int rows) {
        long bytes = (long) rows * t.cols() * Float.BYTES;
        ResidentWeights held = deviceCurrent(t, bytes);
        if (held != null) return held.deviceAddress(t.segment());
        if (pass.active()) return pass.output(t, bytes);
        return reserve(slot, (long) rows * t.cols());
    }

    /** An operand read and written in place: its pass copy, or sent to slot {@code slot} (then {@link #finish}). */
    private long update(int slot, Tensor t, int rows) {
        long bytes = (long) rows * t.cols() * Float.BYTES;
        if (pass.active() && deviceCurrent(t, bytes) == null) return pass.update(t, bytes);
        return in(slot, t, rows);
    }

    /**
     * Outside a pass: queues the copy of t's first rows back to the host (a pass sends its results at its
     * end; a run training on the device keeps its gradients there).
     */
    private void result(long address, Tensor t, int rows) {
        long bytes = (long) rows * t.cols() * Float.BYTES;
        if (!pass.active() && deviceCurrent(t, bytes) == null) device.download(address, t.segment(), bytes);
    }

    /** The resident buffer whose device copy is current and holds t's first bytes (a gradient of a run training here), or null. */
    private ResidentWeights deviceCurrent(Tensor t, long bytes) {
        for (ResidentWeights r : resident) {
            if (r.deviceCurrent() && r.holds(t.segment(), bytes)) return r;
        }
        return null;
    }

    /** Outside a pass: waits for the operation's copies, so that the host reads its results. */
    private void done() {
        if (!pass.active()) device.sync();
    }

    private void finish(long address, Tensor t, int rows) {
        result(address, t, rows);
        done();
    }

    @Override
    public void beginPass(List<Tensor> passOnly) {
        beginPass(passOnly, List.of());
    }

    /** A pass opened inside another (a network's, inside a model's training step) joins the outer one. */
    @Override
    public void beginPass(List<Tensor> passOnly, List<Tensor> deviceOnly) {
        if (passDepth++ > 0) return;
        device.bind();
        pass.begin(passOnly, deviceOnly);
    }

    @Override
    public void endPass() {
        if (passDepth == 0 || --passDepth > 0) return;
        device.bind();
        pass.end();
    }

    @Override
    public LatentKernels latentKernels() {
        return latents;
    }

    /** The latent family's kernels (kernels.cu), their operands staged as every operation's. */
    private final class Latents implements LatentKernels {
        @Override
        public void encoderInput(LatentLayout l, Tensor x, BatchShape shape, Tensor encIn, int batch) {
            requireCols(encIn, x.cols() + l.classes() * l.encoderLabelPositions());
            if (batch == 0) return;
            device.bind();
            long src = in(X, x, batch), s = in(B, shape.values(), 1), dst = out(Y, encIn, batch);
            kernels.encoderInput(src, at(s, shape.labelsAt()), dst, batch, x.cols(), encIn.cols(), l.encoderLabelPositions());
            finish(dst, encIn, batch);
        }

        @Override
        public void sample(LatentLayout l, Tensor heads, Tensor eps, BatchShape shape, Tensor decIn, int batch, int rows) {
            requireCols(heads, l.headsCols());
            requireCols(eps, l.noiseCols());
            requireCols(decIn, l.decoderCols());
            if (rows == 0) return;
            device.bind();
            long h = in(X, heads, batch), e = in(W, eps, batch), s = in(B, shape.values(), 1), dst = out(Y, decIn, rows);
            kernels.latentSample(h, e, at(s, shape.rowsAt()), dst, rows, heads.cols(), decIn.cols(), l.ds(), l.dc(), l.classes());
            finish(dst, decIn, rows);
        }

        @Override
        public void loss(LatentLayout l, Tensor out, Tensor x, Tensor heads, BatchShape shape, Tensor dOut, float invB,
                         Tensor terms, Tensor rowTerms, Tensor balance, int batch, int rows) {
            requireCols(x, out.cols());
            requireCols(dOut, out.cols());
            requireCols(heads, l.headsCols());
            requireCols(terms, 5);
            requireCols(rowTerms, 1);
            if (balance != null) requireCols(balance, l.classes() + 1);
            requirePass();
            if (batch == 0) return;
            device.bind();
            int d = out.cols(), n = Math.multiplyExact(rows, d);
            long o = in(X, out, rows), src = in(W, x, batch), h = in(B, heads, batch), s = in(COL, shape.values(), 1);
            long lab = at(s, shape.labelsAt()), r = at(s, shape.rowsAt()), f = at(s, shape.firstAt());
            long g = CudaBackend.this.out(Y, dOut, rows), t = passOutput(terms, batch), rt = passOutput(rowTerms, rows);
            long values = lossScratch.reserve(((long) n + rows) * Float.BYTES), weights = values + (long) n * Float.BYTES;
            kernels.rowWeights(h, lab, r, weights, rows, heads.cols(), l.logitsCol(), l.classes(), l.classifier(), invB);
            kernels.likelihood(o, src, r, weights, g, values, rows, d, l.gaussian(), l.invVar());
            float recScale = l.gaussian() ? 0.5f * l.invVar() : 1f;
            float recOffset = l.gaussian() ? (float) (d * l.gaussianConstant()) : 0f;
            kernels.latentTerms(h, lab, f, values, rt, t, batch, heads.cols(), d, l.ds(), l.dc(), l.classes(),
                    l.classifier(), recScale, recOffset, l.klCWeight());
            if (balance != null) {
                long bal = passOutput(balance, 1);
                kernels.balance(h, lab, bal, batch, heads.cols(), l.logitsCol(), l.classes());
                result(bal, balance, 1);
            }
            result(g, dOut, rows);
            result(rt, rowTerms, rows);
            finish(t, terms, batch);
        }

        @Override
        public void headsGradient(LatentLayout l, Tensor heads, Tensor eps, BatchShape shape, Tensor dDecIn,
                                  Tensor rowTerms, Tensor balance, Tensor dHeads, float invB, int batch) {
            requireCols(heads, l.headsCols());
            requireCols(eps, l.noiseCols());
            requireCols(dDecIn, l.decoderCols());
            requireCols(rowTerms, 1);
            requireCols(dHeads, l.headsCols());
            requirePass();
            if (batch == 0) return;
            device.bind();
            int rows = shape.first(batch);
            long h = in(X, heads, batch), e = in(W, eps, batch), s = in(B, shape.values(), 1);
            long up = in(COL, dDecIn, rows), rt = in(PERM, rowTerms, rows);
            // Without unlabelled examples the kernel never reads the balance: any device address stands in.
            long bal = balance != null ? passInput(balance, 1) : rt;
            long g = out(Y, dHeads, batch);
            kernels.headsGradient(h, e, at(s, shape.labelsAt()), at(s, shape.firstAt()), up, rt, bal, g, batch,
                    heads.cols(), dDecIn.cols(), l.ds(), l.dc(), l.classes(), l.classifier(), l.klSWeight(),
                    l.klCWeight(), l.ceWeight(), l.yKlWeight(), l.balanceWeight(), invB);
            finish(g, dHeads, batch);
        }
    }

    /** The device address {@code floats} floats after {@code base}. */
    private static long at(long base, long floats) {
        return base + floats * Float.BYTES;
    }

    /** The loss and the heads' gradient read more operands than there are staging slots: they run inside a pass. */
    private void requirePass() {
        if (!pass.active()) throw new IllegalStateException("the latent family's loss and gradient run inside a pass (beginPass)");
    }

    /** The device copy of an operand, inside a pass. */
    private long passInput(Tensor t, int rows) {
        return pass.input(t, (long) rows * t.cols() * Float.BYTES);
    }

    private long passOutput(Tensor t, int rows) {
        return pass.output(t, (long) rows * t.cols() * Float.BYTES);
    }

    private static void requireCols(Tensor t, int cols) {
        if (t.cols() != cols) throw new IllegalArgumentException(t.name() + ": " + t.cols() + " columns, the latent layout needs " + cols);
    }

    /**
     * Keeps the gradients and both moments on the device beside the adopted parameters, which become the
     * current copy there: the backward passes write the gradients on the device, {@link DeviceTraining#adam}
     * updates the parameters there, and nothing comes back until {@link DeviceTraining#fetch()}.
     */
    @Override
    public DeviceTraining deviceTraining(FlatParameters params, FlatParameters grads, FlatParameters m, FlatParameters v) {
        if (training != null) throw new IllegalStateException("this cuda backend already trains a model on the device");
        long bytes = params.flat().byteSize();
        ResidentWeights held = null;
        for (ResidentWeights r : resident) {
            if (r.holds(params.flat(), bytes)) held = r;
        }
        if (held == null) throw new IllegalStateException("deviceTraining: adopt the parameters first (adoptWeights)");
        for (FlatParameters f : List.of(grads, m, v)) {
            if (f.flat().byteSize() != bytes) throw new IllegalArgumentException("deviceTraining: gradients and moments must have the parameters' layout");
        }
        device.bind();
        training = new Training(held, grads, m, v);
        return training;
    }

    private final class Training implements DeviceTraining {
        private static final long PARAMETERS = 0, GRADIENTS = 4, CHECKED_GRADIENTS = 8;
        private final ResidentWeights params;
        private final List<ResidentWeights> state = new ArrayList<>();   // gradients, first and second moment
        private final int n;
        private long updateQueuedBefore = -1;   // the device's sync count when the last update was queued

        Training(ResidentWeights params, FlatParameters grads, FlatParameters m, FlatParameters v) {
            this.params = params;
            this.n = Math.toIntExact(grads.layout().totalFloats());
            try {
                for (FlatParameters f : List.of(grads, m, v)) {
                    ResidentWeights r = new ResidentWeights(device, f.flat());
                    state.add(r);
                    r.deviceCurrent(true);
                    resident.add(r);
                }
                flags.reserve(3L * Integer.BYTES);
                device.sync();
            } catch (RuntimeException | Error e) {
                release();
                throw e;
            }
            params.deviceCurrent(true);
        }

        @Override
        public void adam(float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
            device.bind();
            long f = flags.address();
            kernels.fill(f, 2, 0f);   // 0f's bits are int 0
            kernels.adam(params.deviceAddress(), state.get(0).deviceAddress(), state.get(1).deviceAddress(),
                    state.get(2).deviceAddress(), f, n, beta1, beta2, stepSize, invSqrtBc2, eps);
            device.download(f, flagsHost, 2L * Integer.BYTES);
            updateQueuedBefore = device.syncs();
        }

        @Override
        public boolean gradientsFinite() {
            device.bind();
            long f = flags.address() + CHECKED_GRADIENTS;
            kernels.fill(f, 1, 0f);
            kernels.checkFinite(state.get(0).deviceAddress(), f, n, 0);
            device.download(f, flagsHost.asSlice(CHECKED_GRADIENTS, Integer.BYTES), Integer.BYTES);
            device.sync();
            return flagsHost.get(JAVA_INT, CHECKED_GRADIENTS) == 0;
        }

        @Override
        public UpdateCheck lastUpdate() {
            if (updateQueuedBefore < 0) return UpdateCheck.FINITE;
            if (device.syncs() == updateQueuedBefore) {
                device.bind();
                device.sync();
            }
            if (flagsHost.get(JAVA_INT, GRADIENTS) != 0) return UpdateCheck.NON_FINITE_GRADIENTS;
            return flagsHost.get(JAVA_INT, PARAMETERS) != 0 ? UpdateCheck.NON_FINITE_PARAMETERS : UpdateCheck.FINITE;
        }

        @Override
        public void fetch() {
            device.bind();
            params.fetch();
            state.get(1).fetch();
            state.get(2).fetch();
            device.sync();
        }

        @Override
        public void close() {
            if (training != this) return;
            device.bind();
            device.sync();
            release();
        }

        private void release() {
            params.deviceCurrent(false);
            for (ResidentWeights r : state) {
                resident.remove(r);
                r.close();
            }
            state.clear();
            training = null;
        }
    }

    private long reserve(int slot, long floats) {
        return slots[slot].reserve(floats * Float.BYTES);
    }


    /** n zeros in slot {@code slot}: the bias of a layer that has none. */
    private long zeros(int slot, int n) {
        long address = reserve(slot, n);
        kernels.fill(address, n, 0f);
        return address;
    }

    /** n ones on the device (grown and refilled when a larger n comes). */
    private long ones(int n) {
        long address = onesBuffer.reserve((long) n * Float.BYTES);
        if (n > onesCount) {
            kernels.fill(address, n, 1f);
            onesCount = n;
        }
        return address;
    }

    private static void sameWidth(Tensor y, Tensor w) {
        if (y.cols() != w.cols()) {
            throw new IllegalArgumentException(y.name() + ": " + y.cols() + " columns, the weights " + w.name() + " give " + w.cols());
        }
    }

    @Override
    public void close() {
        try {
            device.bind();
            device.sync();
            if (training != null) training.release();
            for (ResidentWeights r : resident) r.close();
            resident.clear();
            pass.close();
            for (DeviceBuffer b : slots) b.close();
            onesBuffer.close();
            lossScratch.close();
            flags.close();
            if (flagsPinned) cudaHostUnregister(flagsHost);
            device.close();
        } finally {
            try {
                pool.close();
            } finally {
                hostArena.close();
            }
        }
    }
}
