package dev.nvae.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The class path {@code spark/local} runs on: Spark's jars as Maven fetched them, except that a signed jar is
 * replaced by a copy without its signature files. JDK 25's ahead-of-time cache skips every class of a signed
 * jar ("Skipping ...: Signed JAR" in -Xlog:aot), and Spark's code generator, Janino, comes signed: each job
 * loaded and verified its ~370 classes afresh (a 10-sample job 3.2-3.8 s, without the signatures 3.0-3.4 s).
 * A signature only gives the jar's classes a signer, which no security policy here asks for; the copies are made
 * from the jars Maven fetched and checked. On a cluster the jars stay as Spark ships them.
 *
 * <p>{@code java -cp nvae-spark.jar dev.nvae.spark.UnsignedClasspath IN OUT DIR}: reads the class path in file
 * IN, writes the copies into DIR (emptied first) and the new class path to file OUT.
 */
public final class UnsignedClasspath {
    private UnsignedClasspath() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: UnsignedClasspath CLASSPATH-FILE OUT-FILE DIR");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        String classpath = rewrite(Files.readString(Path.of(args[0])).strip(), Path.of(args[2]));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, classpath + "\n");
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code classpath} with each signed jar replaced by an unsigned copy in {@code dir} (emptied first). */
    static String rewrite(String classpath, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var old = Files.list(dir)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && isSigned(jar)) {
                Path copy = dir.resolve(jar.getFileName());
                if (Files.exists(copy)) throw new IOException(copy + ": two signed jars of this name on the class path");
                copyWithoutSignature(jar, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static boolean isSigned(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> e = zip.entries();
            while (e.hasMoreElements()) {
                if (isSignatureFile(e.nextElement().getName())) return true;
            }
        }
        return false;
    }

    /** What makes a jar signed (the JAR File Specification): META-INF/*.SF and its signature block files. */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) return false;
        return upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }

    /** Every entry of {@code jar} but its signature files, in the same order, into {@code copy} (written whole, then renamed). */
    static void copyWithoutSignature(Path jar, Path copy) throws IOException {
        Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(tmp);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> e = in.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                if (isSignatureFile(entry.getName())) continue;
                ZipEntry copied = new ZipEntry(entry.getName());
                copied.setTime(entry.getTime());
                zip.putNextEntry(copied);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE);
    }
}
