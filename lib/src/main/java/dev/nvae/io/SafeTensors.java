package dev.nvae.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nvae.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes float32 tensors — as F32, or rounded to BF16 — in the safetensors format (https://github.com/huggingface/safetensors), which
 * Python loads as-is: an 8-byte little-endian header length, a UTF-8 JSON header mapping each name to
 * {dtype, shape, data_offsets} plus a string-to-string {@code __metadata__}, then the little-endian data.
 * Reading is {@link SafeTensorsFile}.
 */
public final class SafeTensors {
    public static final String METADATA_KEY = "__metadata__";
    /** The reference implementation's limit; it also bounds what a hostile header can make us allocate. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * The streaming generator, not databind: this class is loaded by every command that opens a model, and
     * an ObjectMapper costs ~0.2 s to build in a fresh JVM (see {@link JsonText}).
     */
    private static final JsonFactory JSON = new JsonFactory();

    private SafeTensors() {
    }

    /** Writes each tensor with shape [rows, cols], in list order. {@code metadata} may be empty. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        writeArrays(file, tensors.stream().map(NamedArray::of).toList(), metadata);
    }

    /** Writes arrays of any shape as F32, in list order. {@code metadata} may be empty. */
    public static void writeArrays(Path file, List<NamedArray> arrays, Map<String, String> metadata) {
        writeArrays(file, arrays, metadata, StoredDtype.F32);
    }

    /**
     * Writes arrays of any shape in list order, stored as {@code dtype}: F32 as they are, BF16 rounded to
     * nearest even (what PyTorch loads as {@code torch.bfloat16}). {@code metadata} may be empty.
     */
    public static void writeArrays(Path file, List<NamedArray> arrays, Map<String, String> metadata, StoredDtype dtype) {
        byte[] header = header(arrays, metadata, dtype);
        AtomicOutput.write(file, out -> {
            LittleEndian.writeLong(out, header.length);
            out.write(header);
            for (NamedArray a : arrays) {
                if (dtype == StoredDtype.BF16) LittleEndian.writeBf16(out, a.data(), 0, a.numel());
                else LittleEndian.writeFloats(out, a.data(), 0, a.numel());
            }
        });
    }

    /**
     * CRC-32C of the data section that {@link #writeArrays} would write for {@code arrays} (their
     * little-endian bytes, in list order); equals {@link SafeTensorsFile#dataCrc32c()} of the file.
     * Computed before writing so it can go into the header's metadata.
     */
    public static long dataCrc32c(List<NamedArray> arrays) {
        CRC32C crc = new CRC32C();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }
        };
        try {
            for (NamedArray a : arrays) LittleEndian.writeFloats(sink, a.data(), 0, a.numel());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above never throws
        }
        return crc.getValue();
    }

    public static SafeTensorsFile read(Path file) {
        return SafeTensorsFile.read(file);
    }

    /** The JSON header padded with spaces to a multiple of 8 bytes, so the data section starts 8-byte aligned. */
    private static byte[] header(List<NamedArray> arrays, Map<String, String> metadata, StoredDtype dtype) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> kv : metadata.entrySet()) g.writeStringField(kv.getKey(), kv.getValue());
                g.writeEndObject();
            }
            Set<String> names = new HashSet<>();
            long offset = 0;
            for (NamedArray a : arrays) {
                if (!names.add(a.name())) throw new IllegalArgumentException("duplicate tensor name '" + a.name() + "'");
                long end = offset + a.numel() * dtype.bytes();
                g.writeObjectFieldStart(a.name());
                g.writeStringField("dtype", dtype.header());
                g.writeArrayFieldStart("shape");
                for (long dim : a.shape()) g.writeNumber(dim);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(end);
                g.writeEndArray();
                g.writeEndObject();
                offset = end;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);  // a byte array never fails
        }
        byte[] json = bytes.toByteArray();
        int padded = (json.length + 7) & ~7;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        if (header.length > MAX_HEADER_BYTES) throw new IllegalArgumentException("safetensors header over " + MAX_HEADER_BYTES + " bytes");
        return header;
    }
}
