package dev.nvae.ffm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The native files of one backend as classpath resources, in load order (dependencies first, the main
 * library last), each with its size and SHA-256.
 *
 * <p>The checksums are computed at build time by {@link NativeManifestTool} into {@value #MANIFEST}, so that
 * start-up verifies the extracted copies without first hashing a 92 MB resource inside a jar. Without the
 * manifest (classes compiled by an IDE, say) they are computed from the resources at run time instead.
 *
 * @param name    short name, the first part of the cache directory name ({@code "dnnl"})
 * @param version the carrier artifact's version ({@code "3.13-1.5.14"})
 */
public record NativeBundle(String name, String version, List<Entry> entries) {

    /**
     * One native file.
     *
     * @param fileName name in the cache directory; the soname, so that DT_NEEDED entries match it
     * @param resource classpath resource path
     * @param size     bytes
     * @param sha256   lower-case hex
     * @param required whether loading fails without it
     */
    public record Entry(String fileName, String resource, long size, String sha256, boolean required) {
    }

    /** Classpath location of the build-time manifest. */
    public static final String MANIFEST = "dev/nvae/ffm/natives.properties";

    public NativeBundle {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a native bundle needs at least one file");
        }
    }

    /**
     * The bundled oneDNN for Linux x86-64, without checksums. libgomp.so.1 travels in the dnnl jar itself;
     * libOpenCL.so.1 (in the opencl jar) is optional: libdnnl.so.3 does not list it in DT_NEEDED but dlopens
     * it when a GPU engine is asked for, and a soname already loaded satisfies that dlopen.
     */
    static List<Entry> dnnlLinuxX86_64() {
        return List.of(
                new Entry("libgomp.so.1", "org/bytedeco/dnnl/linux-x86_64/libgomp.so.1", -1, null, true),
                new Entry("libOpenCL.so.1", "org/bytedeco/opencl/linux-x86_64/libOpenCL.so.1", -1, null, false),
                new Entry("libdnnl.so.3", "org/bytedeco/dnnl/linux-x86_64/libdnnl.so.3", -1, null, true));
    }

    /** The main library: the last entry. */
    public Entry main() {
        return entries.getLast();
    }

    /**
     * {@code <name>-<version>-<first 12 hex digits of the SHA-256 over every entry's name and checksum>}:
     * a new build of any file gets a new directory, so a running process never sees its files replaced.
     */
    public String directoryName() {
        StringBuilder all = new StringBuilder();
        for (Entry e : entries) {
            all.append(e.fileName()).append('=').append(e.sha256()).append('\n');
        }
        String digest = HexFormat.of().formatHex(sha256().digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        return name + "-" + version + "-" + digest.substring(0, 12);
    }

    /** Reads {@value #MANIFEST} through {@code loader}; null if it is not there. */
    static NativeBundle fromManifest(ClassLoader loader) throws IOException {
        URL url = loader.getResource(MANIFEST);
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        List<Entry> entries = new ArrayList<>();
        for (String file : required(p, "files").split(",")) {
            entries.add(new Entry(file, required(p, file + ".resource"), Long.parseLong(required(p, file + ".size")),
                    required(p, file + ".sha256"), Boolean.parseBoolean(required(p, file + ".required"))));
        }
        return new NativeBundle(required(p, "name"), required(p, "version"), entries);
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IOException(MANIFEST + " lacks " + key);
        }
        return v.trim();
    }

    /**
     * Hashes the resources of {@code spec} through {@code loader}. An optional resource that is absent is left
     * out; a required one that is absent throws.
     */
    static NativeBundle hashResources(ClassLoader loader, String name, String version, List<Entry> spec)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : spec) {
            URL url = loader.getResource(e.resource());
            if (url == null) {
                if (e.required()) {
                    throw new IOException(e.resource() + " is not on the classpath");
                }
                continue;
            }
            MessageDigest md = sha256();
            long size = 0;
            try (InputStream in = url.openStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; size += n) {
                    md.update(buf, 0, n);
                }
            }
            entries.add(new Entry(e.fileName(), e.resource(), size, HexFormat.of().formatHex(md.digest()), e.required()));
        }
        return new NativeBundle(name, version, entries);
    }

    /** The manifest text: stable line order and no timestamp, so rebuilding gives the same bytes. */
    String toManifest() {
        StringBuilder s = new StringBuilder();
        s.append("# Native files nvae extracts and loads, in load order. Generated at build time by\n");
        s.append("# dev.nvae.ffm.NativeManifestTool from the jars on the classpath: do not edit.\n");
        s.append("name=").append(name).append('\n');
        s.append("version=").append(version).append('\n');
        s.append("files=").append(String.join(",", entries.stream().map(Entry::fileName).toList())).append('\n');
        for (Entry e : entries) {
            s.append(e.fileName()).append(".resource=").append(e.resource()).append('\n');
            s.append(e.fileName()).append(".size=").append(e.size()).append('\n');
            s.append(e.fileName()).append(".sha256=").append(e.sha256()).append('\n');
            s.append(e.fileName()).append(".required=").append(e.required()).append('\n');
        }
        return s.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is missing from this JDK", e));
        }
    }
}
