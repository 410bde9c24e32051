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

    private Simd() {
    }

    public static String describe() {
        return SCALAR ? "scalar" : F.vectorBitSize() + "-bit (" + LANES + " floats)";
    }
}
