package dev.nvae.ffm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Extraction into a private cache directory; nothing here loads a library. */
class NativeExtractorTest {

    private static final ClassLoader LOADER = NativeExtractorTest.class.getClassLoader();
    private static NativeBundle bundle;

    @TempDir
    Path cache;

    @BeforeAll
    static void readManifest() throws IOException {
        bundle = NativeBundle.fromManifest(LOADER);
        assertNotNull(bundle, NativeBundle.MANIFEST + " is written by the build (exec-maven-plugin)");
    }

    @Test
    void manifestListsTheBundledLibrariesInLoadOrder() {
        assertEquals(List.of("libgomp.so.1", "libOpenCL.so.1", "libdnnl.so.3"),
                bundle.entries().stream().map(NativeBundle.Entry::fileName).toList());
        assertEquals("libdnnl.so.3", bundle.main().fileName());
        assertTrue(bundle.directoryName().matches("dnnl-3\\.13-1\\.5\\.14-[0-9a-f]{12}"), bundle.directoryName());
        for (NativeBundle.Entry e : bundle.entries()) {
            assertTrue(e.size() > 0 && e.sha256().matches("[0-9a-f]{64}"), e.toString());
        }
    }

    @Test
    void secondExtractionReusesTheCache() throws IOException {
        NativeExtractor.Result first = NativeExtractor.extract(bundle, LOADER, cache);
        assertEquals(List.of("libgomp.so.1", "libOpenCL.so.1", "libdnnl.so.3"), first.extracted());
        assertEquals(cache.resolve(bundle.directoryName()), first.directory());
        List<FileTime> times = new ArrayList<>();
        for (Path p : first.files().values()) {
            times.add(Files.getLastModifiedTime(p));
            assertEquals(bundle.entries().stream().filter(e -> p.endsWith(e.fileName())).findFirst().orElseThrow().sha256(),
                    NativeExtractor.sha256(p));
        }

        NativeExtractor.Result second = NativeExtractor.extract(bundle, LOADER, cache);
        assertEquals(List.of(), second.extracted(), "nothing re-extracted");
        assertEquals(List.of("libgomp.so.1", "libOpenCL.so.1", "libdnnl.so.3"), second.reused());
        assertEquals(first.files(), second.files());
        List<FileTime> after = new ArrayList<>();
        for (Path p : second.files().values()) {
            after.add(Files.getLastModifiedTime(p));
        }
        assertEquals(times, after, "files untouched");
        assertNoPartFiles(first.directory());
    }

    @Test
    void corruptedCachedFileIsDetectedAndReplaced() throws IOException {
        NativeExtractor.Result first = NativeExtractor.extract(bundle, LOADER, cache);
        Path gomp = first.files().get("libgomp.so.1");
        String good = NativeExtractor.sha256(gomp);
        try (RandomAccessFile f = new RandomAccessFile(gomp.toFile(), "rw")) {  // same size, one byte flipped
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        assertNotEquals(good, NativeExtractor.sha256(gomp));
        Path dnnl = first.files().get("libdnnl.so.3");
        try (RandomAccessFile f = new RandomAccessFile(dnnl.toFile(), "rw")) {  // truncated
            f.setLength(f.length() / 3);
        }

        NativeExtractor.Result second = NativeExtractor.extract(bundle, LOADER, cache);
        assertEquals(List.of("libgomp.so.1", "libdnnl.so.3"), second.extracted());
        assertEquals(List.of("libOpenCL.so.1"), second.reused());
        assertEquals(good, NativeExtractor.sha256(gomp));
        for (NativeBundle.Entry e : bundle.entries()) {
            assertTrue(NativeExtractor.matches(second.files().get(e.fileName()), e, true), e.fileName());
        }
        assertNoPartFiles(second.directory());
    }

    /** The stamp spares later starts the hash, but a file rewritten since it was stamped is hashed again. */
    @Test
    void verifiedStampIsInvalidatedByARewrite() throws IOException {
        NativeExtractor.Result first = NativeExtractor.extract(bundle, LOADER, cache);
        NativeBundle.Entry entry = bundle.entries().stream().filter(e -> e.fileName().equals("libgomp.so.1")).findFirst().orElseThrow();
        Path gomp = first.files().get("libgomp.so.1");
        assertTrue(NativeExtractor.matches(gomp, entry, true));
        assertTrue(Files.isRegularFile(gomp.resolveSibling("libgomp.so.1.verified")), "stamp written");
        assertTrue(NativeExtractor.matches(gomp, entry, true), "stamped file accepted");
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(gomp);
        try (RandomAccessFile f = new RandomAccessFile(gomp.toFile(), "rw")) {  // same size, one byte flipped
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(gomp, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 2000));
        assertFalse(NativeExtractor.matches(gomp, entry, true), "rewritten file hashed again and refused");
    }

    /**
     * A stamp is readable by every user (root's was written mode 600, and every other user's oneDNN was then unavailable),
     * and a stamp that cannot be read is no stamp: the file is hashed and accepted (it was taken as a bad file).
     */
    @Test
    void stampsAreReadableByAllAndAnUnreadableOneMeansHashing() throws IOException {
        NativeExtractor.Result first = NativeExtractor.extract(bundle, LOADER, cache);
        NativeBundle.Entry entry = bundle.entries().stream().filter(e -> e.fileName().equals("libgomp.so.1")).findFirst().orElseThrow();
        Path gomp = first.files().get("libgomp.so.1"), stamp = gomp.resolveSibling("libgomp.so.1.verified");
        assertTrue(NativeExtractor.matches(gomp, entry, true));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(stamp)));
        Files.delete(stamp);
        Files.createDirectory(stamp);  // what no user can read as a file, whoever runs the test (root reads any mode)
        assertTrue(NativeExtractor.matches(gomp, entry, false), "hashed, and the right file");
        assertTrue(Files.isDirectory(stamp), "and nothing written in its place when told not to");
    }

    /**
     * A distribution's natives are used as they are: a copy that lost its file times is hashed, not restamped; a damaged
     * file is refused by name and left as it is; nothing is written in the directory.
     */
    @Test
    void nativesUsedAsTheyAreAreCheckedButNeverWritten() throws IOException {
        NativeExtractor.extract(bundle, LOADER, cache);
        NativeExtractor.Result first = NativeExtractor.extract(bundle, LOADER, cache);  // reused: stamped, as a distribution's are
        Path dir = first.directory();
        for (Path p : first.files().values()) Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));
        List<String> before;
        try (var listing = Files.list(dir)) {
            before = listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
        java.util.Map<Path, String> stamps = new java.util.HashMap<>();
        for (Path p : first.files().values()) stamps.put(p, Files.readString(p.resolveSibling(p.getFileName() + ".verified")));

        NativeExtractor.Result asIs = NativeExtractor.useAsIs(bundle, cache);
        assertEquals(first.files(), asIs.files());
        for (Path p : first.files().values()) {
            assertEquals(stamps.get(p), Files.readString(p.resolveSibling(p.getFileName() + ".verified")), "stamp not rewritten: " + p);
        }
        Path gomp = first.files().get("libgomp.so.1");
        try (RandomAccessFile f = new RandomAccessFile(gomp.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0xff);
        }
        String damaged = NativeExtractor.sha256(gomp);
        IOException e = assertThrows(IOException.class, () -> NativeExtractor.useAsIs(bundle, cache));
        assertEquals(gomp + " is not the file the build checked (its size or SHA-256 differs from the manifest): a damaged copy", e.getMessage());
        assertEquals(damaged, NativeExtractor.sha256(gomp), "left as it is");
        try (var listing = Files.list(dir)) {
            assertEquals(before, listing.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written in the directory");
        }
    }

    /**
     * The fallback under a shared /tmp is this user's alone: made mode 700; one of ours that others may write in (an older
     * nvae under umask 002) is made private again; a link, even to a directory of ours, is refused, as is another user's.
     */
    @Test
    void theFallbackDirectoryIsPrivate() throws IOException {
        Path made = NativeExtractor.privateDirectory(cache.resolve("nvae-someone"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertEquals(made, NativeExtractor.privateDirectory(made), "its own, again");
        Path open = Files.createDirectory(cache.resolve("nvae-open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
        NativeExtractor.privateDirectory(open);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
        Path link = Files.createSymbolicLink(cache.resolve("nvae-link"), made);
        assertEquals(link + " is not a directory of its own", assertThrows(IOException.class, () -> NativeExtractor.privateDirectory(link)).getMessage());
        Path others = Files.createDirectory(cache.resolve("nvae-others"));
        java.nio.file.attribute.UserPrincipal nobody;
        try {
            nobody = others.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(others, nobody);  // root alone may give a file away: this part runs where the tests run as root
        } catch (IOException notRoot) {
            return;
        }
        assertEquals(others + " belongs to uid " + Files.getAttribute(others, "unix:uid") + ", not to this user (uid "
                + Files.getAttribute(made, "unix:uid") + ")", assertThrows(IOException.class, () -> NativeExtractor.privateDirectory(others)).getMessage());
    }

    @Test
    void resourceThatDoesNotMatchTheManifestIsRefused() throws IOException {
        NativeBundle.Entry gomp = bundle.entries().getFirst();
        NativeBundle wrong = new NativeBundle("dnnl", "test", List.of(
                new NativeBundle.Entry(gomp.fileName(), gomp.resource(), gomp.size(), "0".repeat(64), true)));
        IOException e = assertThrows(IOException.class, () -> NativeExtractor.extract(wrong, LOADER, cache));
        assertTrue(e.getMessage().contains("differs from the build manifest"), e.getMessage());
        Path dir = cache.resolve(wrong.directoryName());
        assertFalse(Files.exists(dir.resolve(gomp.fileName())), "no unverified file left as the target");
        assertNoPartFiles(dir);
    }

    @Test
    void missingRequiredResourceFailsAndMissingOptionalOneIsReported() throws IOException {
        NativeBundle.Entry gomp = bundle.entries().getFirst();
        NativeBundle optional = new NativeBundle("t", "1", List.of(
                new NativeBundle.Entry("libnothing.so.1", "no/such/libnothing.so.1", 1, "0".repeat(64), false), gomp));
        NativeExtractor.Result r = NativeExtractor.extract(optional, LOADER, cache);
        assertEquals(List.of("libnothing.so.1"), r.absent());
        assertEquals(List.of("libgomp.so.1"), List.copyOf(r.files().keySet()));

        NativeBundle required = new NativeBundle("t", "2", List.of(
                new NativeBundle.Entry("libnothing.so.1", "no/such/libnothing.so.1", 1, "0".repeat(64), true)));
        IOException e = assertThrows(IOException.class, () -> NativeExtractor.extract(required, LOADER, cache));
        assertEquals("no/such/libnothing.so.1 is not on the classpath", e.getMessage());
    }

    @Test
    void stalePartFilesOfKilledProcessesAreRemoved() throws IOException {
        Path dir = Files.createDirectories(cache.resolve(bundle.directoryName()));
        Path stale = Files.writeString(dir.resolve(".libdnnl.so.3.123.part"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
        Path fresh = Files.writeString(dir.resolve(".libdnnl.so.3.456.part"), "another process, right now");
        NativeExtractor.extract(bundle, LOADER, cache);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "a concurrent extraction's part file is left alone");
    }

    @Test
    void runtimeHashingGivesTheSameBundleAsTheBuildManifest() throws IOException {
        NativeBundle hashed = NativeBundle.hashResources(LOADER, bundle.name(), bundle.version(),
                NativeBundle.dnnlLinuxX86_64());
        assertEquals(bundle, hashed);
    }

    private static void assertNoPartFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }
}
