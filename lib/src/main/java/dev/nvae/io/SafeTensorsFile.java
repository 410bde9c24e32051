package dev.nvae.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nvae.NvaeException;
import dev.nvae.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * A safetensors file read into memory and fully validated before any value is handed out: a file
 * that passes {@link #read} has a well-formed header and tensors that tile its data section exactly,
 * so later reads cannot run past the end or alias another tensor.
 */
public final class SafeTensorsFile {
    /**
     * Element sizes in bits of the dtypes huggingface/safetensors defines (its Dtype::bitsize): F4 and F6 pack
     * several values to a byte. F32 values can be read, and BF16 widened to float32; the others are named.
     */
    private static final Map<String, Integer> DTYPE_BITS = Map.ofEntries(
            Map.entry("BOOL", 8), Map.entry("F4", 4), Map.entry("F6_E2M3", 6), Map.entry("F6_E3M2", 6),
            Map.entry("U8", 8), Map.entry("I8", 8), Map.entry("F8_E5M2", 8), Map.entry("F8_E4M3", 8),
            Map.entry("F8_E8M0", 8), Map.entry("F8_E4M3FNUZ", 8), Map.entry("F8_E5M2FNUZ", 8),
            Map.entry("I16", 16), Map.entry("U16", 16), Map.entry("F16", 16), Map.entry("BF16", 16),
            Map.entry("I32", 32), Map.entry("U32", 32), Map.entry("F32", 32), Map.entry("C64", 64),
            Map.entry("F64", 64), Map.entry("I64", 64), Map.entry("U64", 64));

    private record Entry(String name, String dtype, long[] shape, long begin, long end) {
        long numel() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;
    /** The data section (after the header), little-endian. */
    private final MemorySegment data;
    /** Where the data section begins in the file: after the 8-byte header length and the header. */
    private final long dataOffset;
    /** The data section's CRC-32C once computed (a CRC-32 is below 2^32), else −1. */
    private volatile long dataCrc32c = -1;

    private SafeTensorsFile(Path file, Map<String, String> metadata, Map<String, Entry> entries, MemorySegment data, long dataOffset) {
        this.dataOffset = dataOffset;
        this.file = file;
        this.metadata = metadata;
        this.entries = entries;
        this.data = data;
    }

    public static SafeTensorsFile read(Path file) {
        InputFiles.requireRegularFile(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Long.BYTES) {
                // A /proc file reports a size of 0 whatever it holds: "a file of 0 bytes" would be untrue. It is not
                // read to tell (a read of /proc/kmsg blocks until the kernel logs something).
                if (file.toAbsolutePath().normalize().startsWith("/proc/")) {
                    throw bad(file, "is not a safetensors model file: it is a /proc file, whose size the system gives as " + size + " bytes");
                }
                throw bad(file, "file of " + size + " bytes is shorter than the 8-byte header length");
            }
            MemorySegment lengthField = MemorySegment.ofArray(new byte[Long.BYTES]);
            readFully(file, channel, lengthField, 0);
            long headerLength = lengthField.get(LittleEndian.I64, 0);
            boolean implausible = headerLength < 0 || headerLength > SafeTensors.MAX_HEADER_BYTES || headerLength > size - Long.BYTES;
            String other = implausible ? otherFormat(lengthField.toArray(ValueLayout.JAVA_BYTE)) : null;
            // Another kind of file given as a model (a dataset's NPY as --judge, a PyTorch checkpoint): say which, not
            // what its first bytes mean as a header length.
            if (other != null) throw bad(file, "is not a safetensors model file: it begins as " + other);
            if (headerLength < 0 || headerLength > SafeTensors.MAX_HEADER_BYTES) {
                throw bad(file, "header length " + Long.toUnsignedString(headerLength) + " exceeds the limit of "
                        + SafeTensors.MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > size - Long.BYTES) {
                throw bad(file, "header length " + headerLength + " exceeds the " + (size - Long.BYTES)
                        + " bytes that follow it (file truncated?)");
            }
            byte[] header = new byte[(int) headerLength];
            readFully(file, channel, MemorySegment.ofArray(header), Long.BYTES);
            Map<String, Object> root = parseHeader(file, header);
            long dataLength = size - Long.BYTES - headerLength;
            Map<String, String> metadata = metadata(file, root);
            Map<String, Entry> entries = entries(file, root, dataLength);
            MemorySegment data = Arena.ofAuto().allocate(Math.max(1, dataLength), Long.BYTES).asSlice(0, dataLength);
            readFully(file, channel, data, Long.BYTES + headerLength);
            return new SafeTensorsFile(file, metadata, entries, data, Long.BYTES + headerLength);
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
    }

    public Path path() {
        return file;
    }

    /**
     * CRC-32C of the whole data section as stored (little-endian), the value {@link SafeTensors#dataCrc32c}
     * computes before writing: it lets a reader tell a damaged file from an intact one, which the
     * structural checks alone cannot.
     */
    public long dataCrc32c() {
        // Computed once: a checkpoint's reader checks it and then keeps it for its restore (stored()).
        if (dataCrc32c < 0) {
            CRC32C crc = new CRC32C();
            final long chunk = 1 << 24;
            for (long done = 0; done < data.byteSize(); done += chunk) {
                crc.update(data.asSlice(done, Math.min(chunk, data.byteSize() - done)).asByteBuffer());
            }
            dataCrc32c = crc.getValue();
        }
        return dataCrc32c;
    }

    /** The {@code __metadata__} map (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in data-offset order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    public String dtype(String name) {
        return entry(name).dtype();
    }

    public float[] floats(String name) {
        Entry e = f32(name);
        long n = e.numel();
        if (n > Integer.MAX_VALUE - 8) throw bad(file, "tensor '" + name + "' has " + n + " elements, too many for a Java array");
        float[] out = new float[(int) n];
        MemorySegment.copy(data, LittleEndian.F32, e.begin(), out, 0, out.length);
        return out;
    }

    /** Copies the tensor into {@code dst}; a 2-D stored shape must equal dst's rows × cols, any other the element count. */
    public void copyInto(String name, Tensor dst) {
        Entry e = f32(name);
        requireShape(e, dst);
        MemorySegment.copy(data, LittleEndian.F32, e.begin(), dst.segment(), Tensor.F32, 0, dst.size());
    }

    /**
     * As {@link #copyInto} for an F32 tensor; a BF16 tensor is widened into {@code dst} (exactly: a bf16 is
     * the upper half of a float32). For model files, which may be stored in either.
     */
    public void copyIntoFloat32(String name, Tensor dst) {
        Entry e = entry(name);
        if (e.dtype().equals("F32")) {
            copyInto(name, dst);
            return;
        }
        if (!e.dtype().equals("BF16")) {
            throw bad(file, "tensor '" + name + "' has dtype " + e.dtype() + "; only F32 and BF16 values can be read");
        }
        requireShape(e, dst);
        for (long i = 0; i < dst.size(); i++) {
            short h = data.get(LittleEndian.BF16, e.begin() + i * Short.BYTES);
            dst.setFlat(i, Float.intBitsToFloat(h << 16));
        }
    }

    /**
     * Where this file's tensors lie, without their values: what a reader keeps that copies the tensors later, once their
     * destinations exist, so that the file's data and the destinations are never in memory together (a checkpoint as
     * large as the training state it restores). Every tensor must be F32.
     */
    public StoredTensors stored() {
        List<Entry> inOrder = new ArrayList<>(entries.values());
        inOrder.sort(Comparator.comparingLong(Entry::begin));
        for (Entry e : inOrder) f32(e.name());
        return new StoredTensors(file, dataOffset, data.byteSize(), List.copyOf(inOrder), dataCrc32c());
    }

    /** The F32 tensors of a file as {@link #stored} found them, read again straight into their destinations. */
    public static final class StoredTensors {
        private final Path file;
        private final long dataOffset, dataLength, crc32c;
        private final List<Entry> inOrder; // tiling the data section, by offset

        private StoredTensors(Path file, long dataOffset, long dataLength, List<Entry> inOrder, long crc32c) {
            this.file = file;
            this.dataOffset = dataOffset;
            this.dataLength = dataLength;
            this.inOrder = inOrder;
            this.crc32c = crc32c;
        }

        /**
         * Reads every tensor from the file into {@code destinations[name]} (each must be given, of the stored element
         * count), in file order, and checks that the data section is the one {@link #stored} saw: its CRC-32C, and its
         * length. A file changed or replaced since is a {@link FormatException}; the destinations then hold part of it.
         */
        public void copyInto(Map<String, Tensor> destinations) {
            for (Entry e : inOrder) {
                Tensor dst = destinations.get(e.name());
                if (dst == null) throw new IllegalArgumentException("no destination for tensor '" + e.name() + "'");
                if (dst.size() * Float.BYTES != e.end() - e.begin()) {
                    throw new IllegalArgumentException("tensor '" + e.name() + "' holds " + (e.end() - e.begin()) + " bytes, its destination "
                            + dst.size() * Float.BYTES);
                }
            }
            CRC32C crc = new CRC32C();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() != dataOffset + dataLength) throw changed("its size is " + channel.size() + " bytes, not "
                        + (dataOffset + dataLength));
                for (Entry e : inOrder) {
                    MemorySegment dst = destinations.get(e.name()).segment().asSlice(0, e.end() - e.begin());
                    readFully(file, channel, dst, dataOffset + e.begin());
                    for (long done = 0; done < dst.byteSize(); done += 1 << 24) {
                        crc.update(dst.asSlice(done, Math.min(1 << 24, dst.byteSize() - done)).asByteBuffer());
                    }
                    // The file is little-endian; a tensor holds native floats.
                    if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
                        for (long i = 0; i < dst.byteSize(); i += Float.BYTES) {
                            dst.set(Tensor.F32, i, dst.get(LittleEndian.F32, i));
                        }
                    }
                }
            } catch (IOException e) {
                throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
            }
            if (crc.getValue() != crc32c) {
                throw changed("data checksum " + Long.toHexString(crc.getValue()) + ", was " + Long.toHexString(crc32c));
            }
        }

        private FormatException changed(String how) {
            return bad(file, "changed since it was read and checked (" + how + ")");
        }
    }

    /** The dtypes present, e.g. [F32] or [BF16]. */
    public Set<String> dtypes() {
        Set<String> out = new TreeSet<>();
        for (Entry e : entries.values()) out.add(e.dtype());
        return out;
    }

    /** A 2-D stored shape must equal dst's rows × cols, any other the element count. */
    private void requireShape(Entry e, Tensor dst) {
        long[] s = e.shape();
        boolean matches = s.length == 2 ? s[0] == dst.rows() && s[1] == dst.cols() : e.numel() == dst.size();
        if (!matches) {
            throw bad(file, "tensor '" + e.name() + "' has shape " + Arrays.toString(s) + ", expected ["
                    + dst.rows() + ", " + dst.cols() + "]");
        }
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw bad(file, "no tensor '" + name + "'");
        return e;
    }

    private Entry f32(String name) {
        Entry e = entry(name);
        if (!e.dtype().equals("F32")) {
            throw bad(file, "tensor '" + name + "' has dtype " + e.dtype() + "; only F32 values can be read");
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseHeader(Path file, byte[] header) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "header is not valid UTF-8");
        }
        if (text.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            throw bad(file, "header holds no JSON object");
        }
        Object root;
        try {
            root = JsonText.parse(text);
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            // Jackson's duplicate detection reports "Duplicate field 'x'"; give it its own plain message.
            if (detail.startsWith("Duplicate field")) {
                throw bad(file, "header has a duplicate key: " + detail.substring("Duplicate field ".length()));
            }
            throw bad(file, "header is not valid JSON: " + JsonText.reason(e));
        }
        // JSON whitespace may pad the object on either side, as serde_json::from_str allows: the reference
        // writer pads after it, and since huggingface/safetensors #686 writers may pad before it too.
        if (!(root instanceof Map<?, ?>)) throw bad(file, "header is not a JSON object");
        return (Map<String, Object>) root;
    }

    private static Map<String, String> metadata(Path file, Map<String, Object> root) {
        // null is no metadata: the reference reads the key into an Option, which serde fills with None from null.
        if (root.get(SafeTensors.METADATA_KEY) == null) return Map.of();
        if (!(root.get(SafeTensors.METADATA_KEY) instanceof Map<?, ?> meta)) {
            throw bad(file, SafeTensors.METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> kv : meta.entrySet()) {
            if (!(kv.getValue() instanceof String value)) {
                throw bad(file, SafeTensors.METADATA_KEY + " value of '" + kv.getKey() + "' is not a string");
            }
            out.put((String) kv.getKey(), value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Parses every tensor entry and checks that, sorted by offset, they tile [0, dataLength) exactly. */
    private static Map<String, Entry> entries(Path file, Map<String, Object> root, long dataLength) {
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, Object> kv : root.entrySet()) {
            if (!kv.getKey().equals(SafeTensors.METADATA_KEY)) list.add(entry(file, kv.getKey(), kv.getValue()));
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : list) {
            if (e.begin() < expected) {
                throw bad(file, "tensor '" + e.name() + "' data_offsets " + offsets(e) + " overlap tensor '"
                        + previous.name() + "' " + offsets(previous));
            }
            if (e.begin() > expected) {
                throw bad(file, "data bytes " + expected + ".." + e.begin() + " before tensor '" + e.name() + "' belong to no tensor "
                        + "of the header (is a tensor missing from it?)");
            }
            expected = e.end();
            previous = e;
        }
        if (expected > dataLength) {
            throw bad(file, "tensors need " + expected + " data bytes but the file holds " + dataLength + " (truncated)");
        }
        if (expected < dataLength) {
            throw bad(file, "data bytes " + expected + ".." + dataLength + " belong to no tensor of the header "
                    + "(is a tensor missing from it?)");
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        list.forEach(e -> byName.put(e.name(), e));
        return Collections.unmodifiableMap(byName);
    }

    private static Entry entry(Path file, String name, Object value) {
        String where = "tensor '" + name + "': ";
        if (!(value instanceof Map<?, ?> node)) throw bad(file, where + "entry is not a JSON object");
        if (!(node.get("dtype") instanceof String dtype)) throw bad(file, where + "dtype is missing or not a string");
        Integer elementBits = DTYPE_BITS.get(dtype);
        if (elementBits == null) throw bad(file, where + "unknown dtype '" + dtype + "'");
        long[] shape = naturals(node.get("shape"), -1);
        if (shape == null) throw bad(file, where + "shape is missing or not an array of non-negative integers");
        long[] offsets = naturals(node.get("data_offsets"), 2);
        if (offsets == null) throw bad(file, where + "data_offsets is missing or not two non-negative integers");
        if (offsets[1] < offsets[0]) throw bad(file, where + "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        long bits;
        try {
            bits = Math.multiplyExact(Arrays.stream(shape).reduce(1, Math::multiplyExact), elementBits);
        } catch (ArithmeticException overflow) {
            throw bad(file, where + "shape " + Arrays.toString(shape) + " of " + dtype + " overflows a 64-bit byte count");
        }
        if (bits % 8 != 0) {
            throw bad(file, where + "shape " + Arrays.toString(shape) + " of " + dtype + " is " + bits + " bits, not a whole number of bytes");
        }
        long bytes = bits / 8;
        if (offsets[1] - offsets[0] != bytes) {
            throw bad(file, where + "data_offsets " + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0])
                    + " bytes but " + dtype + " " + Arrays.toString(shape) + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** An array of non-negative integers that fit a long (of exactly {@code length} if ≥ 0), or null. */
    private static long[] naturals(Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) return null;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            // JsonText gives integers that fit a long as Long, larger ones as BigInteger: those are refused too.
            if (!(list.get(i) instanceof Long v) || v < 0) return null;
            out[i] = v;
        }
        return out;
    }

    private static String offsets(Entry e) {
        return "[" + e.begin() + ", " + e.end() + "]";
    }

    private static void readFully(Path file, FileChannel channel, MemorySegment dst, long position) throws IOException {
        final long chunk = 1 << 24;
        for (long done = 0; done < dst.byteSize(); ) {
            ByteBuffer buffer = dst.asSlice(done, Math.min(chunk, dst.byteSize() - done)).asByteBuffer();
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + done + buffer.position()) < 0) {
                    throw bad(file, "file shrank while it was being read");
                }
            }
            done += buffer.capacity();
        }
    }

    /** What a file that starts with {@code head} (its first 8 bytes) is, where its signature says so; null if unknown. */
    private static String otherFormat(byte[] head) {
        if (head[0] == (byte) 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M' && head[4] == 'P' && head[5] == 'Y') {
            return "an NPY array";
        }
        if (head[0] == (byte) 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') return "a PNG image";
        if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "a zip archive (a PyTorch checkpoint, an NPZ?)";
        if (head[0] == 0x1f && head[1] == (byte) 0x8b) return "a gzip file";
        if (head[0] == 0 && head[1] == 0 && head[2] == 8 && head[3] >= 1 && head[3] <= 4) return "an IDX file";
        if (head[0] == 'P' && head[1] == '5' && Character.isWhitespace(head[2])) return "a PGM image";
        // torch.save's format before zip archives, and pickle.dump's: protocol 2 to 5.
        if (head[0] == (byte) 0x80 && head[1] >= 2 && head[1] <= 5) return "a Python pickle (a PyTorch checkpoint of the old format?)";
        if (head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') return "a Parquet file"; // a Spark job's input or output
        if (isText(head)) return "text";
        return null;
    }

    /**
     * UTF-8 without control characters other than white space (the last character may be cut off): a README, a JSON or CSV
     * file, a script given by mistake.
     */
    private static boolean isText(byte[] head) {
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(head.length);
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        if (decoder.decode(java.nio.ByteBuffer.wrap(head), chars, false).isError()) return false;
        chars.flip();
        if (chars.remaining() == 0) return false;
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') return false;
        }
        return true;
    }

    private static FormatException bad(Path file, String reason) {
        return new FormatException(file, reason);
    }
}
