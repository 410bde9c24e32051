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

// ---- the latent family and the optimiser: a whole training step on the device ------------------------------
// The heads of every family share one layout (see LatentLayout): [mu_s (ds) | logvar_s (ds) | mu_c (k*dc) |
// logvar_c (k*dc) | logits (k, when the family has a classifier)]; the decoder input is [z_s | E(y, z_c) (k*dc)
// | onehot(y) (k, when the decoder reads the class)]. A baseline VAE is dc = 0, no logits. Labels travel as
// floats (small integers, exact). The arithmetic mirrors the CPU code (model/Gaussian, Categorical,
// kernels/ElementwiseScalar) operation for operation, double where it uses double.

#ifndef NVAE_DEVICE
#define NVAE_DEVICE static __device__ __forceinline__
#endif

NVAE_DEVICE int nvae_finite(float v) {
    return fabsf(v) <= 3.402823466e+38f;   // false for NaN and for both infinities
}

// z = mu + sigma * eps with sigma = exp(logvar / 2): Gaussian.sample.
NVAE_DEVICE float nvae_sample(float mu, float logvar, float eps) {
    float sd = (float) exp(0.5 * (double) logvar);
    return mu + sd * eps;
}

// KL(N(mu, diag exp(logvar)) || N(0, I)) over n columns: Gaussian.kl.
NVAE_DEVICE double nvae_kl(const float* h, int mu, int logvar, int n) {
    double kl = 0.0;
    for (int j = 0; j < n; j++) {
        double m = h[mu + j], lv = h[logvar + j];
        kl += m * m + exp(lv) - 1.0 - lv;
    }
    return 0.5 * kl;
}

NVAE_DEVICE int nvae_argmax(const float* h, int col, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) {
        if (h[col + c] > h[col + best]) best = c;
    }
    return best;
}

NVAE_DEVICE double nvae_sum_exp(const float* h, int col, int k, double max) {
    double sum = 0.0;
    for (int c = 0; c < k; c++) sum += exp(h[col + c] - max);
    return sum;
}

// encIn[r] = [x[r] | onehot(y) with each class column repeated positions times]: the conditional VAE's input.
NVAE_KERNEL nvae_encoder_input(const float* __restrict__ x, const float* __restrict__ labels, float* __restrict__ encIn,
                               int batch, int d, int cols, int positions) {
    NVAE_FOR(i, (long) batch * cols) {
        int j = (int) (i % cols);
        long r = i / cols;
        encIn[i] = j < d ? x[r * d + j] : (j - d) / positions == (int) labels[r] ? 1.0f : 0.0f;
    }
}

// The decoder rows of a batch: row r decodes example rows[2r] as class rows[2r + 1] — one row per labelled
// example (its label), K rows (classes 0..K-1) per unlabelled one (label -1), which the N-VAE's bound sums over
// (model/ClassPasses); first[i] is example i's first row, first[batch] the number of rows.

// decIn[r] = [z_s | the class's block z_c in its place, zeros elsewhere | onehot(class)] from the heads and the
// noise eps[i] = [eps_s (ds) | eps_c (dc)] of row r's example: one reparameterised posterior sample per row, the
// same noise for every row of an example (NVaeFamily.writeDecoderRow).
NVAE_KERNEL nvae_latent_sample(const float* __restrict__ heads, const float* __restrict__ eps,
                               const float* __restrict__ rows, float* __restrict__ decIn, int n, int headsCols,
                               int decCols, int ds, int dc, int k) {
    NVAE_FOR(i, (long) n * decCols) {
        int j = (int) (i % decCols);
        long r = i / decCols;
        long ex = (long) rows[2 * r];
        int y = (int) rows[2 * r + 1];
        const float* h = heads + ex * headsCols;
        const float* e = eps + ex * (ds + dc);
        float v = 0.0f;
        if (j < ds) {
            v = nvae_sample(h[j], h[ds + j], e[j]);
        } else if (j < ds + k * dc) {
            int block = (j - ds) / dc, c = (j - ds) % dc;
            if (block == y) v = nvae_sample(h[2 * ds + y * dc + c], h[2 * ds + k * dc + y * dc + c], e[ds + c]);
        } else {
            v = j - ds - k * dc == y ? 1.0f : 0.0f;
        }
        decIn[i] = v;
    }
}

// log q(y = c | x) of example ex from its logits at column lg (Categorical.logSoftmax).
NVAE_DEVICE double nvae_log_q(const float* h, int lg, int k, int c) {
    double max = h[lg + nvae_argmax(h, lg, k)];
    return h[lg + c] - max - log(nvae_sum_exp(h, lg, k, max));
}

// weight[r] = what row r's reconstruction gradient is scaled by: invB for a labelled example's row (and any row
// of a family without a classifier, which reads no label), q(class | x) * invB for a row of an unlabelled
// example of the N-VAE (its bound is the expectation over q).
NVAE_KERNEL nvae_row_weights(const float* __restrict__ heads, const float* __restrict__ labels,
                             const float* __restrict__ rows, float* __restrict__ weight, int n, int headsCols, int lg,
                             int k, int logits, int invBBits) {
    float invB = __int_as_float(invBBits);
    NVAE_FOR(r, (long) n) {
        long ex = (long) rows[2 * r];
        if (labels[ex] >= 0.0f || !logits) {
            weight[r] = invB;
        } else {
            double q = exp(nvae_log_q(heads + ex * headsCols, lg, k, (int) rows[2 * r + 1]));
            weight[r] = (float) (q * invB);
        }
    }
}

// Per value of row r (n rows of d): the likelihood's loss into loss[] and its gradient, times weight[r], into
// grad[]; row r reads the image of its example. Bernoulli with logits out (ElementwiseScalar.bceWithLogitsRow),
// or, when gaussian, the squared error (out - x)^2 with gradient (out - x) * invVar * weight (squaredErrorRow;
// the terms kernel applies 1/2 invVar and the constant).
NVAE_KERNEL nvae_likelihood(const float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ rows,
                            const float* __restrict__ weight, float* __restrict__ grad, float* __restrict__ loss, int n,
                            int d, int gaussian, int invVarBits) {
    float invVar = __int_as_float(invVarBits);
    NVAE_FOR(i, (long) n * d) {
        long r = i / d;
        float l = out[i], xv = x[(long) rows[2 * r] * d + i % d], scale = weight[r];
        if (gaussian) {
            float diff = l - xv;
            loss[i] = diff * diff;
            grad[i] = diff * (scale * invVar);
        } else {
            float e = expf(-fabsf(l));
            loss[i] = (l > 0.0f ? l : 0.0f) + log1pf(e) - xv * l;
            float sig = l >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
            grad[i] = (sig - xv) * scale;
        }
    }
}

// Row r's -log p(x | z): recScale * (its loss values summed in order) + recOffset.
NVAE_DEVICE double nvae_row_rec(const float* loss, long r, int d, float recScale, float recOffset) {
    double rec = 0.0;
    for (int j = 0; j < d; j++) rec += loss[r * d + j];
    return recScale * rec + recOffset;
}

// terms[i] = [rec, KL_s, KL_c, ce, predicted class] per example, unweighted (the host weights and sums them in
// example order). A labelled example: its row's reconstruction, its class's KL_c, -log q(y|x) (a family with a
// classifier; else 0, 0, -1). An unlabelled one (NVaeFamily.unlabelledLossRow): rec and KL_c as expectations
// over q(y|x) of its K rows, ce = KL(q(y|x) || uniform), and rowTerm[r] = rec_y + betaC * KL_c^y per row, less
// the example's expectation of it (the heads' gradient is the same for any constant added to an example's terms).
NVAE_KERNEL nvae_latent_terms(const float* __restrict__ heads, const float* __restrict__ labels,
                              const float* __restrict__ first, const float* __restrict__ loss,
                              float* __restrict__ rowTerm, float* __restrict__ terms, int batch, int headsCols, int d,
                              int ds, int dc, int k, int logits, int recScaleBits, int recOffsetBits, int betaCBits) {
    float recScale = __int_as_float(recScaleBits), recOffset = __int_as_float(recOffsetBits);
    double betaC = __int_as_float(betaCBits);
    NVAE_FOR(i, (long) batch) {
        const float* h = heads + i * headsCols;
        int y = (int) labels[i];
        long r0 = (long) first[i];
        int lg = 2 * ds + 2 * k * dc;
        double rec = 0.0, klC = 0.0, ce = 0.0;
        float predicted = logits ? (float) nvae_argmax(h, lg, k) : -1.0f;
        if (y >= 0 || !logits) {
            rec = nvae_row_rec(loss, r0, d, recScale, recOffset);
            if (logits) {
                klC = nvae_kl(h, 2 * ds + y * dc, 2 * ds + k * dc + y * dc, dc);
                ce = -nvae_log_q(h, lg, k, y);
            }
        } else {
            double logK = log((double) k);
            for (int c = 0; c < k; c++) {
                double logQ = nvae_log_q(h, lg, k, c), q = exp(logQ);
                double recY = nvae_row_rec(loss, r0 + c, d, recScale, recOffset);
                double klCY = nvae_kl(h, 2 * ds + c * dc, 2 * ds + k * dc + c * dc, dc);
                rec += q * recY;
                klC += q * klCY;
                ce += q * (logQ + logK);
            }
            // The gradient reads only differences between an example's row terms, which are hundreds of nats
            // each: stored less their expectation, they keep float's precision where it matters.
            double expected = rec + betaC * klC;
            for (int c = 0; c < k; c++) {
                double recY = nvae_row_rec(loss, r0 + c, d, recScale, recOffset);
                double klCY = nvae_kl(h, 2 * ds + c * dc, 2 * ds + k * dc + c * dc, dc);
                rowTerm[r0 + c] = (float) (recY + betaC * klCY - expected);
            }
        }
        float* t = terms + i * 5;
        t[0] = (float) rec;
        t[1] = (float) nvae_kl(h, 0, ds, ds);
        t[2] = (float) klC;
        t[3] = (float) ce;
        t[4] = predicted;
    }
}

// The batch's balance term over its unlabelled examples (NVaeFamily.batchTerms): balance[1 + c] = log(K * qbar_c),
// qbar the mean of their q(y|x) summed in example order, and balance[0] = KL(qbar || uniform); all 0 when the
// batch has none. One thread: K values over the batch.
NVAE_KERNEL nvae_balance(const float* __restrict__ heads, const float* __restrict__ labels, float* __restrict__ balance,
                         int batch, int headsCols, int lg, int k) {
    NVAE_FOR(t, 1L) {
        int unlabelled = 0;
        for (int i = 0; i < batch; i++) unlabelled += labels[i] < 0.0f;
        double kl = 0.0;
        for (int c = 0; c < k; c++) {
            double mean = 0.0;
            for (int i = 0; i < batch; i++) {
                if (labels[i] < 0.0f) mean += exp(nvae_log_q(heads + (long) i * headsCols, lg, k, c));
            }
            double logBar = 0.0;
            if (unlabelled > 0) {
                double qBar = mean / unlabelled;
                logBar = log((qBar > 2.2250738585072014e-308 ? qBar : 2.2250738585072014e-308) * k);
                kl += qBar * logBar;
            }
            balance[1 + c] = (float) logBar;
        }
        balance[0] = (float) kl;
    }
}

// dHeads[i] from the gradient at the decoder input (through the reparameterisation), the weighted KL terms
// (weights wS, wC over a batch of 1/invB) and the classifier (Gaussian.reparamGradient, Categorical.gradient).
// A labelled example: its class's block only, cross-entropy weight wCe. An unlabelled one
// (NVaeFamily.unlabelledHeadsGradientRow): z_s's gradient sums its K rows', class c's block is weighted by
// wC * q(c|x), and the logits get the gradient of sum_c q_c a_c, a_c = rowTerm + yKl log(K q_c) + balance log(K qbar_c).
NVAE_KERNEL nvae_heads_gradient(const float* __restrict__ heads, const float* __restrict__ eps,
                                const float* __restrict__ labels, const float* __restrict__ first,
                                const float* __restrict__ dDecIn, const float* __restrict__ rowTerm,
                                const float* __restrict__ balance, float* __restrict__ dHeads, int batch, int headsCols,
                                int decCols, int ds, int dc, int k, int logits, int wSBits, int wCBits, int wCeBits,
                                int yKlBits, int balanceBits, int invBBits) {
    double wS = __int_as_float(wSBits), wC = __int_as_float(wCBits), wCe = __int_as_float(wCeBits);
    double yKl = __int_as_float(yKlBits), wBalance = __int_as_float(balanceBits);
    float invB = __int_as_float(invBBits);
    NVAE_FOR(i, (long) batch * headsCols) {
        int j = (int) (i % headsCols);
        long ex = i / headsCols;
        int y = (int) labels[ex], single = y >= 0 || !logits;   // one decoder row: labelled, or a family without classes
        long r0 = (long) first[ex];
        const float* h = heads + ex * headsCols;
        const float* e = eps + ex * (ds + dc);
        int muC = 2 * ds, lvC = 2 * ds + k * dc, lg = 2 * ds + 2 * k * dc;
        float g = 0.0f;
        int mu = -1, lv = -1, eCol = 0;
        float dz = 0.0f;
        double w = 0.0;
        if (j < 2 * ds) {
            int c = j < ds ? j : j - ds;
            mu = c; lv = ds + c; eCol = c; w = wS;
            if (single) {
                dz = dDecIn[r0 * decCols + c];
            } else {
                for (int cl = 0; cl < k; cl++) dz += dDecIn[(r0 + cl) * decCols + c];
            }
        } else if (j < lg) {
            int c = j < lvC ? j - muC : j - lvC, block = c / dc;
            if (single && block == y) {
                mu = muC + c; lv = lvC + c; eCol = ds + c % dc; w = wC;
                dz = dDecIn[r0 * decCols + ds + c];
            } else if (!single) {
                mu = muC + c; lv = lvC + c; eCol = ds + c % dc;
                w = wC * exp(nvae_log_q(h, lg, k, block));
                dz = dDecIn[(r0 + block) * decCols + ds + c];
            }
        } else if (logits && y >= 0) {
            double p = exp(nvae_log_q(h, lg, k, j - lg));
            g = (float) (wCe * (p - (j - lg == y ? 1.0 : 0.0)) * invB);
        } else if (logits) {
            double logK = log((double) k), mean = 0.0, mine = 0.0;
            for (int c = 0; c < k; c++) {
                double logQ = nvae_log_q(h, lg, k, c);
                double a = rowTerm[r0 + c] + yKl * (logQ + logK) + wBalance * balance[1 + c];
                mean += exp(logQ) * a;
                if (c == j - lg) mine = a;
            }
            g = (float) (exp(nvae_log_q(h, lg, k, j - lg)) * (mine - mean) * invB);
        }
        if (mu >= 0) {
            double m = h[mu], lvv = h[lv], sd = exp(0.5 * lvv);
            if (j == mu) g = (float) (dz + w * m * invB);
            else g = (float) (dz * e[eCol] * 0.5 * sd + w * 0.5 * (sd * sd - 1.0) * invB);
        }
        dHeads[i] = g;
    }
}

// Adam with bias correction over n parameters (ElementwiseScalar.adam, operation for operation); flags[0] = 1
// when an updated parameter is not finite, flags[1] = 1 when a gradient is not (both only ever set to 1).
NVAE_KERNEL nvae_adam(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m, float* __restrict__ v,
                      int* __restrict__ flags, int n, int beta1Bits, int beta2Bits, int stepSizeBits,
                      int invSqrtBc2Bits, int epsBits) {
    float beta1 = __int_as_float(beta1Bits), beta2 = __int_as_float(beta2Bits);
    float stepSize = __int_as_float(stepSizeBits), invSqrtBc2 = __int_as_float(invSqrtBc2Bits);
    float eps = __int_as_float(epsBits);
    float omb1 = 1.0f - beta1, omb2 = 1.0f - beta2;
    NVAE_FOR(i, (long) n) {
        float gv = g[i];
        float mv = m[i] * beta1 + gv * omb1;
        float vv = v[i] * beta2 + gv * gv * omb2;
        float den = sqrtf(vv) * invSqrtBc2 + eps;
        float pv = p[i] - mv * stepSize / den;
        m[i] = mv;
        v[i] = vv;
        p[i] = pv;
        if (!nvae_finite(pv)) flags[0] = 1;
        if (!nvae_finite(gv)) flags[1] = 1;
    }
}

// flags[slot] = 1 when any of the n values is not finite (left alone otherwise).
NVAE_KERNEL nvae_check_finite(const float* __restrict__ x, int* __restrict__ flags, int n, int slot) {
    NVAE_FOR(i, (long) n) {
        if (!nvae_finite(x[i])) flags[slot] = 1;
    }
}
