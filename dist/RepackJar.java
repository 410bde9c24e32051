import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Copies the CLI's shaded jar into a distribution: without the entries under the given prefixes (the
 * native libraries, which a distribution ships already extracted), and with every entry in name order
 * and stamped with one fixed time, so that the same classes always give the same jar bytes whatever the
 * build's clock and file system. The manifest stays first, where {@code java -jar} looks for it.
 *
 * <p>Entries are stored, not deflated: the distribution's tar.gz then compresses across classes, which
 * makes the archive 0.7 MB smaller than a deflated jar inside it (measured: 2.6 against 3.3 MB), and
 * classes load without inflating.
 *
 * <p>Usage (a single-file program, run by dist/build with the JDK 25 that built the jar):
 * {@code java dist/RepackJar.java IN.jar OUT.jar EPOCH_SECONDS [DROP_PREFIX...]}.
 */
public final class RepackJar {
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private RepackJar() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java RepackJar.java IN.jar OUT.jar EPOCH_SECONDS [DROP_PREFIX...]");
            System.exit(2);
        }
        Path in = Path.of(args[0]), out = Path.of(args[1]);
        LocalDateTime time = LocalDateTime.ofEpochSecond(Long.parseLong(args[2]), 0, ZoneOffset.UTC);
        List<String> drop = List.of(args).subList(3, args.length);
        Path part = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".part");
        int kept = 0, dropped = 0;
        try (ZipFile zip = new ZipFile(in.toFile());
             ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(part))) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName()));
            Collections.sort(names);
            if (names.remove(MANIFEST)) names.addFirst(MANIFEST);
            for (String name : names) {
                if (drop.stream().anyMatch(name::startsWith)) {
                    dropped++;
                    continue;
                }
                byte[] bytes;
                try (InputStream src = zip.getInputStream(zip.getEntry(name))) {
                    bytes = src.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry e = new ZipEntry(name);
                e.setTimeLocal(time);  // the DOS time field only: no extended timestamps, no time zone
                e.setMethod(ZipEntry.STORED);
                e.setSize(bytes.length);
                e.setCompressedSize(bytes.length);
                e.setCrc(crc.getValue());
                zout.putNextEntry(e);
                zout.write(bytes);
                zout.closeEntry();
                kept++;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("%s: %d entries, %d dropped%n", out, kept, dropped);
    }
}
