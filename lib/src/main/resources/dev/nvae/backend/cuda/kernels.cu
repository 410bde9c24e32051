// The element-wise CUDA kernels of the cuda backend, compiled once per process by NVRTC at start-up
// (CudaKernels). The matrix products are cuBLAS's; these kernels do what lies around them: bias and ReLU,
// their gradients, the sigmoid, and the index work that turns a convolution into one GEMM over the whole
// batch (im2col, its adjoint col2im, and the NCHW <-> channel-major permutes).
//
// Every kernel is a grid-stride loop over independent elements: no shared memory, no atomics, no
// __syncthreads, so each output element is written by one thread in a fixed order (results do not depend
// on the launch shape) and the same source compiles as plain C for the CPU stub the tests run without a
// GPU (lib/src/test/c/cuda_stub.c defines NVAE_KERNEL, the thread indices and __restrict__ for gcc).
// Parameters are pointers and ints only: the stub's launcher unpacks them by the signatures below.

#ifndef NVAE_KERNEL
#define NVAE_KERNEL extern "C" __global__ void
#endif

#define NVAE_FOR(i, n) \
    for (long i = (long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long) gridDim.x * blockDim.x)

// y[r, c] = act(y[r, c] + b[c]) over rows x cols (a linear layer's output after its GEMM).
NVAE_KERNEL nvae_bias_rows(float* __restrict__ y, const float* __restrict__ b, int rows, int cols, int relu) {
    NVAE_FOR(i, (long) rows * cols) {
        float v = y[i] + b[i % cols];
        y[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

// y[n, c, p] = act(y[n, c, p] + b[c]) over batch x channels x pixels (a transposed convolution's output).
NVAE_KERNEL nvae_bias_channels(float* __restrict__ y, const float* __restrict__ b, int batch, int channels, int pixels,
                               int relu) {
    NVAE_FOR(i, (long) batch * channels * pixels) {
        float v = y[i] + b[(i / pixels) % channels];
        y[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

// dy <- dy * [y > 0] over n elements (y the ReLU's output).
NVAE_KERNEL nvae_relu_backward(float* __restrict__ dy, const float* __restrict__ y, int n) {
    NVAE_FOR(i, (long) n) {
        if (!(y[i] > 0.0f)) dy[i] = 0.0f;
    }
}

// out = 1 / (1 + exp(-in)) over n elements, in the form that cannot overflow.
NVAE_KERNEL nvae_sigmoid(const float* __restrict__ in, float* __restrict__ out, int n) {
    NVAE_FOR(i, (long) n) {
        float v = in[i];
        if (v >= 0.0f) {
            out[i] = 1.0f / (1.0f + expf(-v));
        } else {
            float e = expf(v);
            out[i] = e / (1.0f + e);
        }
    }
}

// col[(c, kh, kw), (n, oh, ow)] = x[n, c, oh*stride - pad + kh, ow*stride - pad + kw], 0 outside the image:
// the (ci*k*k) x (batch*oh*ow) matrix whose product with the (co, ci*k*k) weights is the convolution.
NVAE_KERNEL nvae_im2col(const float* __restrict__ x, float* __restrict__ col, int batch, int ci, int h, int w, int k,
                        int stride, int pad, int oh, int ow) {
    long cols = (long) batch * oh * ow;
    NVAE_FOR(i, (long) ci * k * k * cols) {
        long j = i % cols;
        int row = (int) (i / cols);
        int kw = row % k, kh = (row / k) % k, c = row / (k * k);
        int x0 = (int) (j % ow), y0 = (int) ((j / ow) % oh);
        long n = j / ((long) oh * ow);
        int yy = y0 * stride - pad + kh, xx = x0 * stride - pad + kw;
        col[i] = yy >= 0 && yy < h && xx >= 0 && xx < w ? x[((n * ci + c) * h + yy) * w + xx] : 0.0f;
    }
}

// The adjoint of nvae_im2col: x[n, c, y, x] = the sum of the col entries im2col would copy from there,
// gathered by each input element (no atomics, so the sum's order is fixed); written over x.
NVAE_KERNEL nvae_col2im(const float* __restrict__ col, float* __restrict__ x, int batch, int ci, int h, int w, int k,
                        int stride, int pad, int oh, int ow) {
    long cols = (long) batch * oh * ow;
    NVAE_FOR(i, (long) batch * ci * h * w) {
        int xx = (int) (i % w), yy = (int) ((i / w) % h), c = (int) ((i / ((long) w * h)) % ci);
        long n = i / ((long) w * h * ci);
        float sum = 0.0f;
        for (int kh = 0; kh < k; kh++) {
            int t = yy + pad - kh;
            if (t < 0 || t % stride != 0 || t / stride >= oh) continue;
            int y0 = t / stride;
            for (int kw = 0; kw < k; kw++) {
                int u = xx + pad - kw;
                if (u < 0 || u % stride != 0 || u / stride >= ow) continue;
                int x0 = u / stride;
                sum += col[(long) ((c * k + kh) * k + kw) * cols + (n * oh + y0) * ow + x0];
            }
        }
        x[i] = sum;
    }
}

// dst[c, (n, p)] = src[n, c, p]: batch x channels x pixels to channels x (batch*pixels).
NVAE_KERNEL nvae_nchw_to_cn(const float* __restrict__ src, float* __restrict__ dst, int batch, int channels, int pixels) {
    long cols = (long) batch * pixels;
    NVAE_FOR(i, (long) channels * cols) {
        long j = i % cols;
        int c = (int) (i / cols);
        long n = j / pixels;
        int p = (int) (j % pixels);
        dst[i] = src[(n * channels + c) * pixels + p];
    }
}

// dst[n, c, p] = act(src[c, (n, p)] + b[c]) (bias only when hasBias): a convolution's GEMM output, channel
// major, back to NCHW rows.
NVAE_KERNEL nvae_cn_to_nchw(const float* __restrict__ src, const float* __restrict__ b, float* __restrict__ dst,
                            int batch, int channels, int pixels, int hasBias, int relu) {
    long cols = (long) batch * pixels;
    NVAE_FOR(i, (long) batch * channels * pixels) {
        int p = (int) (i % pixels), c = (int) ((i / pixels) % channels);
        long n = i / ((long) pixels * channels);
        float v = src[c * cols + n * pixels + p];
        if (hasBias) v += b[c];
        dst[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

// out[i] = v over n elements (the ones vector the bias gradients' GEMMs sum with).
NVAE_KERNEL nvae_fill(float* __restrict__ out, int n, int bits) {
    float v = __int_as_float(bits);
    NVAE_FOR(i, (long) n) {
        out[i] = v;
    }
}
