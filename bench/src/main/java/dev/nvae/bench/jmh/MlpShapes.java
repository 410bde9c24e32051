package dev.nvae.bench.jmh;

import dev.nvae.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The GEMMs of one training step of the reference mlp N-VAE (Fashion-MNIST: D 784, K 10, ds 8, dc 4),
 * named layer.form: {@code fwd} y = x·W (M = B, N = out, K = in), {@code dX} dx = dy·Wᵀ (M = B, N = in,
 * K = out; the first layer has none), {@code dW} dW += xᵀ·dy (M = in, N = out, K = B).
 */
public record MlpShapes(String name, String layer, String form, int m, int n, int k, boolean relu) {
    public static final ModelConfig CONFIG = ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1);

    /** Layers as (name, in, out, relu), in forward order. */
    public static List<Object[]> layers() {
        ModelConfig c = CONFIG;
        return List.of(
                new Object[]{"enc1", c.inputDim(), c.hidden1(), true},
                new Object[]{"enc2", c.hidden1(), c.hidden2(), true},
                new Object[]{"heads", c.hidden2(), c.headsDim(), false},
                new Object[]{"dec1", c.decoderInputDim(), c.hidden2(), true},
                new Object[]{"dec2", c.hidden2(), c.hidden1(), true},
                new Object[]{"dec3", c.hidden1(), c.inputDim(), false});
    }

    public static List<MlpShapes> all(int batch) {
        List<MlpShapes> out = new ArrayList<>();
        for (Object[] l : layers()) {
            String name = (String) l[0];
            int in = (int) l[1], o = (int) l[2];
            boolean relu = (boolean) l[3];
            out.add(new MlpShapes(name + ".fwd", name, "fwd", batch, o, in, relu));
            if (!name.equals("enc1")) out.add(new MlpShapes(name + ".dX", name, "dX", batch, in, o, relu));
            out.add(new MlpShapes(name + ".dW", name, "dW", in, o, batch, relu));
        }
        return out;
    }

    public static MlpShapes named(String name, int batch) {
        return all(batch).stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no GEMM shape " + name));
    }

    public int in() {
        return form.equals("dW") ? m : form.equals("fwd") ? k : n;
    }

    public int out() {
        return form.equals("dW") ? n : form.equals("fwd") ? n : k;
    }

    public double flops() {
        return 2.0 * m * n * k;
    }
}
