package dev.nvae.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spark/local's class path: signed jars become unsigned copies with every other entry as it was; the rest stays. */
class UnsignedClasspathTest {
    @TempDir
    Path tmp;

    private static Path jar(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    private static Map<String, String> contents(Path jar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                out.put(e.getName(), new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void signedJarsAreReplacedByUnsignedCopiesAndTheRestIsKept() throws IOException {
        Map<String, String> signedEntries = new LinkedHashMap<>();
        signedEntries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\nName: a/B.class\r\nSHA-256-Digest: xyz\r\n\r\n");
        signedEntries.put("META-INF/DUMMY.SF", "Signature-Version: 1.0\r\n");
        signedEntries.put("META-INF/DUMMY.DSA", "block");
        signedEntries.put("a/B.class", "bytes of B");
        signedEntries.put("META-INF/services/x.Y", "a.B");
        Path signed = jar(Files.createDirectories(tmp.resolve("m2/g")).resolve("lib-1.0.jar"), signedEntries);
        Path plain = jar(tmp.resolve("plain.jar"), Map.of("c/D.class", "bytes of D"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Path dir = tmp.resolve("unsigned");

        String rewritten = UnsignedClasspath.rewrite(String.join(File.pathSeparator, plain.toString(), signed.toString(),
                classes.toString()), dir);

        Path copy = dir.resolve("lib-1.0.jar");
        assertEquals(String.join(File.pathSeparator, plain.toString(), copy.toString(), classes.toString()), rewritten);
        assertTrue(UnsignedClasspath.isSigned(signed));
        assertFalse(UnsignedClasspath.isSigned(copy));
        Map<String, String> expected = new LinkedHashMap<>(signedEntries);
        expected.remove("META-INF/DUMMY.SF");
        expected.remove("META-INF/DUMMY.DSA");
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(contents(copy).entrySet()));
        assertEquals(List.of("lib-1.0.jar"), names(dir));

        // Run again (a new class path from Maven): the directory starts empty, so no stale copy survives.
        Files.writeString(dir.resolve("stale.jar"), "x");
        UnsignedClasspath.rewrite(plain.toString(), dir);
        assertEquals(List.of(), names(dir));
    }

    @Test
    void twoSignedJarsOfOneNameAreRefused() throws IOException {
        Map<String, String> entries = Map.of("META-INF/K.RSA", "block", "META-INF/K.SF", "sig");
        Path a = jar(Files.createDirectories(tmp.resolve("a")).resolve("x.jar"), entries);
        Path b = jar(Files.createDirectories(tmp.resolve("b")).resolve("x.jar"), entries);
        IOException e = assertThrows(IOException.class,
                () -> UnsignedClasspath.rewrite(a + File.pathSeparator + b, tmp.resolve("unsigned")));
        assertTrue(e.getMessage().contains("two signed jars"), e.getMessage());
    }

    @Test
    void signatureFilesAreThoseOfTheJarSpecification() {
        for (String name : List.of("META-INF/A.SF", "META-INF/a.sf", "META-INF/A.RSA", "META-INF/A.DSA", "META-INF/A.EC", "META-INF/SIG-X")) {
            assertTrue(UnsignedClasspath.isSignatureFile(name), name);
        }
        for (String name : List.of("META-INF/MANIFEST.MF", "META-INF/sub/A.SF", "A.SF", "META-INF/services/A.RSA", "a/META-INF/A.SF")) {
            assertFalse(UnsignedClasspath.isSignatureFile(name), name);
        }
    }
}
