package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector species every kernel uses. {@code -Dnvae.simd=auto|512|256|128|scalar}
 * overrides it; {@code scalar} routes every kernel to its scalar twin, which tests use as the oracle.
 */
public final class Simd {
    public static final String MODE = System.getProperty("nvae.simd", "auto");
    public static final boolean SCALAR = MODE.equals("scalar");
    public static final VectorSpecies<Float> F = switch (MODE) {
        case "512" -> FloatVector.SPECIES_512;
        case "256" -> FloatVector.SPECIES_256;
        case "128" -> FloatVector.SPECIES_128;
        case "auto", "scalar" -> FloatVector.SPECIES_PREFERRED;
        default -> throw new IllegalArgumentException("-Dnvae.simd=" + MODE + ": expected auto, 512, 256, 128 or scalar");
    };
    public static final int LANES = F.length();
    /**
     * The system property by which a launcher says this JVM compiles with C1 alone ({@code -XX:TieredStopAtLevel=1}):
     * nvae's does so for {@code sample} on oneDNN, whose products run in native code (see launcher/jvm-flags.sh).
     */
    public static final String C1_ONLY_PROPERTY = "nvae.jit.quick";
    /**
     * Whether this JVM compiles with C1 alone ({@value #C1_ONLY_PROPERTY}). Without C2 the Vector API boxes every
     * vector, many times slower than a plain loop, so a kernel whose answer does not depend on the order of its
     * operations ({@link Elementwise#allFinite}) runs a plain loop here; the kernels that compute values keep their
     * vector form, so that a result is the same bits whichever JIT ran it.
     */
    public static final boolean C1_ONLY = Boolean.getBoolean(C1_ONLY_PROPERTY);

    private Simd() {
    }

    public static String describe() {
        return SCALAR ? "scalar" : F.vectorBitSize() + "-bit (" + LANES + " floats)";
    }
}
