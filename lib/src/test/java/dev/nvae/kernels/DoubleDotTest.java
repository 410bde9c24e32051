package dev.nvae.kernels;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vector dot product against its scalar twin and an exact sum, at every tail length and at offsets. */
@Tag("simd")
class DoubleDotTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 1000, 1999})
    void agreesWithTheScalarTwinAndTheExactSum(int len) {
        SplittableRandom rng = new SplittableRandom(len);
        int aOff = 5, bOff = 2;
        double[] a = new double[aOff + len + 3], b = new double[bOff + len + 1];
        for (int j = 0; j < a.length; j++) a[j] = rng.nextDouble(-1, 1);
        for (int j = 0; j < b.length; j++) b[j] = rng.nextInt(2); // 0/1, as a membership mask
        java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        for (int j = 0; j < len; j++) exact = exact.add(new java.math.BigDecimal(a[aOff + j]).multiply(new java.math.BigDecimal(b[bOff + j])));
        double scalar = DoubleDotScalar.dot(a, aOff, b, bOff, len);
        double vector = DoubleDot.dot(a, aOff, b, bOff, len);
        double tolerance = 1e-15 * Math.max(1, len);
        assertEquals(exact.doubleValue(), scalar, tolerance, "scalar twin");
        assertEquals(exact.doubleValue(), vector, tolerance, "vector, " + DoubleDot.D.length() + " lanes");
        // Elements outside [off, off + len) do not count: changing them changes nothing.
        a[aOff - 1] = b[bOff - 1] = 1e300;
        a[aOff + len] = b[bOff + len] = 1e300;
        assertEquals(vector, DoubleDot.dot(a, aOff, b, bOff, len), 0);
    }
}
