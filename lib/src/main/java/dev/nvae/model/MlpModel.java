package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.nn.Linear;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * What every {@code mlp} latent model is made of — its config and likelihood, parameters and gradients
 * in one arena, the six layers of {@link MlpLayers} — and what they do alike: the initialisation, the
 * decoder's forward pass, closing. The families ({@link NVae}, {@link Vae}) differ in their encoder input,
 * heads and loss.
 */
public abstract sealed class MlpModel implements LatentModel permits NVae, Vae {
    final ModelConfig config;
    final Likelihood likelihood;
    private final Arena arena = Arena.ofShared();
    final FlatParameters params;
    final FlatParameters grads;
    final Linear enc1, enc2, heads, dec1, dec2, dec3; // see MlpLayers

    MlpModel(ModelConfig config) {
        this.config = config;
        this.likelihood = new Likelihood(config);
        FlatParameters.Layout layout = MlpLayers.layout(config);
        this.params = new FlatParameters(arena, layout);
        this.grads = new FlatParameters(arena, layout);
        MlpLayers net = new MlpLayers(params, grads);
        enc1 = net.enc1;
        enc2 = net.enc2;
        heads = net.heads;
        dec1 = net.dec1;
        dec2 = net.dec2;
        dec3 = net.dec3;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Likelihood likelihood() {
        return likelihood;
    }

    @Override
    public FlatParameters params() {
        return params;
    }

    @Override
    public FlatParameters grads() {
        return grads;
    }

    /** PyTorch's nn.Linear default: w and b ~ U(−1/√in, 1/√in), drawn in layout order. */
    @Override
    public void initialize(long seed) {
        initialize(params, seed);
    }

    /** The initialisation every mlp model shares: the same seed gives the same draws in the same layout. */
    static void initialize(FlatParameters params, long seed) {
        Rng rng = Rng.stream(seed, 0x1417);
        for (FlatParameters.Layout.Entry e : params.layout().entries()) {
            Tensor t = params.get(e.name());
            int fanIn = e.name().endsWith(".b") ? params.get(e.name().replace(".b", ".w")).rows() : e.rows();
            double bound = 1.0 / Math.sqrt(fanIn);
            for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) ((2 * rng.nextDouble() - 1) * bound));
        }
    }

    /** ws.decIn → ws.logitsX. */
    @Override
    public void decode(Backend be, Workspace ws, int batch) {
        dec1.forward(be, ws.decIn, ws.d1, batch);
        dec2.forward(be, ws.d1, ws.d2, batch);
        dec3.forward(be, ws.d2, ws.logitsX, batch);
    }

    static void clearRow(Tensor t, int row) {
        t.segment().asSlice((long) row * t.cols() * Float.BYTES, (long) t.cols() * Float.BYTES).fill((byte) 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
