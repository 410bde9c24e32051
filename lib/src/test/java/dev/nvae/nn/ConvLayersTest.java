package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.ConvShape;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two convolution layers through their own forward and backward, chained as in a conv decoder and
 * encoder — Conv2d 3x9x9 → 5x5x5 with ReLU, ConvTranspose2d 5x5x5 → 3x9x9 with ReLU, Conv2d 3x9x9 → 4x4x4
 * without — under the loss L = Σ r ⊙ out: every parameter's gradient and the input's against central
 * finite differences of L (entries where a ReLU switches inside ±h are skipped, as the difference quotient
 * is no derivative there). The gradient buffers start as NaN: backward must write every element.
 */
class ConvLayersTest {
    private static final ConvShape FIRST = new ConvShape(3, 9, 9, 5, 3, 2, 1);
    private static final ConvShape UP = ConvShape.transposed(5, 5, 5, 3, 3, 2, 1);
    private static final ConvShape LAST = new ConvShape(3, 9, 9, 4, 4, 2, 1);

    @ParameterizedTest
    @ValueSource(strings = {"vector", "onednn"})
    void gradientsMatchFiniteDifferences(String backend) {
        if (backend.equals("onednn")) assumeTrue(DnnlLibrary.isAvailable(), "oneDNN unavailable");
        int batch = 2;
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Conv2d.declare(layout, "c1", FIRST);
        ConvTranspose2d.declare(layout, "t1", UP);
        Conv2d.declare(layout, "c2", LAST);
        // One thread: with tensors this small a hand-off costs more than the work, and the check runs
        // thousands of forward passes.
        try (Backend be = Backends.create(backend, 1); Arena arena = Arena.ofShared()) {
            FlatParameters params = new FlatParameters(arena, layout), grads = new FlatParameters(arena, layout);
            SplittableRandom rnd = new SplittableRandom(5);
            for (Tensor t : params.tensors().values()) fill(t, rnd, 0.5);
            Conv2d c1 = new Conv2d("c1", FIRST, params, grads, true);
            ConvTranspose2d t1 = new ConvTranspose2d("t1", UP, params, grads, true);
            Conv2d c2 = new Conv2d("c2", LAST, params, grads, false);
            assertEquals(243, c1.inputWidth());
            assertEquals(125, c1.outputWidth());
            assertEquals(125, t1.inputWidth());
            assertEquals(243, t1.outputWidth());
            Tensor x = fill(Tensor.allocate(arena, "x", batch, c1.inputWidth()), rnd, 1);
            Tensor h1 = Tensor.allocate(arena, "h1", batch, c1.outputWidth()), h2 = Tensor.allocate(arena, "h2", batch, t1.outputWidth());
            Tensor out = Tensor.allocate(arena, "out", batch, c2.outputWidth());
            Tensor r = fill(Tensor.allocate(arena, "r", batch, c2.outputWidth()), rnd, 1);
            Tensor dh2 = Tensor.allocate(arena, "dh2", batch, t1.outputWidth()), dh1 = Tensor.allocate(arena, "dh1", batch, c1.outputWidth());
            Tensor dx = Tensor.allocate(arena, "dx", batch, c1.inputWidth());

            Runnable forward = () -> {
                c1.forward(be, x, h1, batch);
                t1.forward(be, h1, h2, batch);
                c2.forward(be, h2, out, batch);
            };
            forward.run();
            grads.flat().fill((byte) 0xFF);  // NaN
            Tensor dout = Tensor.allocate(arena, "dout", batch, c2.outputWidth());
            dout.copyFrom(r);
            c2.backward(be, h2, out, dout, dh2, batch);
            t1.backward(be, h1, h2, dh2, dh1, batch);
            c1.backward(be, x, h1, dh1, dx, batch);

            long pattern = pattern(h1, h2);
            double h = 2e-3;  // small: a weight moves every pixel of its channel, and each may cross a kink
            int checked = 0, kinks = 0;
            StringBuilder failures = new StringBuilder();
            for (String name : new String[]{"c1.w", "c1.b", "t1.w", "t1.b", "c2.w", "c2.b", "x"}) {
                Tensor p = name.equals("x") ? x : params.get(name), g = name.equals("x") ? dx : grads.get(name);
                for (long i = 0; i < p.size(); i++) {
                    float old = p.getFlat(i);
                    float up = (float) (old + h), down = (float) (old - h);
                    p.setFlat(i, up);
                    forward.run();
                    double lUp = dot(out, r);
                    boolean smooth = pattern(h1, h2) == pattern;
                    p.setFlat(i, down);
                    forward.run();
                    double lDown = dot(out, r);
                    smooth &= pattern(h1, h2) == pattern;
                    p.setFlat(i, old);
                    if (!smooth) {
                        kinks++;
                        continue;
                    }
                    double numeric = (lUp - lDown) / ((double) up - down), analytic = g.getFlat(i);
                    checked++;
                    if (!(Math.abs(numeric - analytic) <= 2e-3 + 2e-2 * Math.abs(numeric)) && failures.length() < 2000) {
                        failures.append(String.format("%s[%d] analytic %.6g numeric %.6g%n", name, i, analytic, numeric));
                    }
                }
            }
            assertTrue(kinks < checked / 10, kinks + " of " + checked + " entries crossed a ReLU kink: degenerate test point");
            assertEquals("", failures.toString(), backend + ": gradients off");
        }
    }

    /**
     * PyTorch's default initialisation: weights and biases uniform in ±1/√fan_in, fan_in Cin·k² for Conv2d and, by
     * PyTorch's quirk, Cout·k² for ConvTranspose2d (4 → 2 channels, 3x3: ±1/√18, where Cin·k² would give ±1/√36).
     */
    @Test
    void initialisationIsPyTorchsUniformOverFanInForWeightsAndBiases() {
        ConvShape up = ConvShape.transposed(4, 5, 5, 2, 3, 2, 1);
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Conv2d.declare(layout, "c", FIRST);
        ConvTranspose2d.declare(layout, "t", up);
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout);
            Conv2d c = new Conv2d("c", FIRST, p, p, true);
            ConvTranspose2d t = new ConvTranspose2d("t", up, p, p, true);
            c.initialize(new dev.nvae.random.Rng(1));
            t.initialize(new dev.nvae.random.Rng(2));
            checkUniform(p.get("c.w"), 1 / Math.sqrt(27), 0.9);
            checkUniform(p.get("c.b"), 1 / Math.sqrt(27), 0.3);
            checkUniform(p.get("t.w"), 1 / Math.sqrt(18), 0.9);
            checkUniform(p.get("t.b"), 1 / Math.sqrt(18), 0.1);
            assertTrue(maxAbs(p.get("t.w")) > 1 / Math.sqrt(36), "the transposed layer's fan_in is Cout·k², not Cin·k²");
        }
    }

    /** Every value within ±bound, and the largest beyond {@code reach}·bound: drawn, not left at zero. */
    private static void checkUniform(Tensor t, double bound, double reach) {
        for (long i = 0; i < t.size(); i++) assertTrue(Math.abs(t.getFlat(i)) <= bound, t.name() + "[" + i + "] = " + t.getFlat(i));
        assertTrue(maxAbs(t) > reach * bound, t.name() + ": largest " + maxAbs(t) + " of bound " + bound);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (long i = 0; i < t.size(); i++) m = Math.max(m, Math.abs(t.getFlat(i)));
        return m;
    }

    @Test
    void parametersOfTheWrongShapeAreRefused() {
        FlatParameters.Layout layout = new FlatParameters.Layout();
        layout.add("c.w", 5, 26).add("c.b", 1, 5);
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d("c", FIRST, p, p, true));
            assertTrue(e.getMessage().startsWith("c.w is 5x26; convolution 3x9x9 -> 5x5x5"), e.getMessage());
        }
    }

    private static long pattern(Tensor... relus) {
        long hash = 1;
        for (Tensor t : relus) for (long i = 0; i < t.size(); i++) hash = hash * 31 + (t.getFlat(i) > 0 ? 1 : 0);
        return hash;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += (double) a.getFlat(i) * b.getFlat(i);
        return s;
    }

    private static Tensor fill(Tensor t, SplittableRandom rnd, double scale) {
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) ((rnd.nextDouble() * 2 - 1) * scale));
        return t;
    }
}
