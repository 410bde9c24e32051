package dev.nvae.io;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 array with a name and an explicit shape of any rank, as stored in a safetensors file:
 * {@code data} holds {@code numel()} native-order floats, row-major. Use it for tensors that are not
 * matrices (a bias of shape [n], a scalar of shape []).
 */
public record NamedArray(String name, long[] shape, MemorySegment data) {
    public NamedArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (name.isEmpty() || name.equals(SafeTensors.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or empty");
        }
        shape = shape.clone();
        long numel = numel(name, shape);
        if (data.byteSize() < Math.multiplyExact(numel, Float.BYTES)) {
            throw new IllegalArgumentException(name + ": segment of " + data.byteSize() + " bytes too small for shape "
                    + Arrays.toString(shape));
        }
    }

    /** The rows × cols matrix view of a tensor, sharing its storage. */
    public static NamedArray of(Tensor t) {
        return new NamedArray(t.name(), new long[] {t.rows(), t.cols()}, t.segment());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return numel(name, shape);
    }

    private static long numel(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
