package dev.nvae.ffm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, process-classes): hashes the bundled native resources on the classpath and
 * writes {@value NativeBundle#MANIFEST} into the classes directory.
 * Usage: {@code NativeManifestTool <output natives.properties> <dnnl artifact version>}.
 */
public final class NativeManifestTool {

    private NativeManifestTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: NativeManifestTool <output natives.properties> <dnnl artifact version>");
        }
        Path out = Path.of(args[0]);
        NativeBundle bundle = NativeBundle.hashResources(NativeManifestTool.class.getClassLoader(), "dnnl", args[1],
                NativeBundle.dnnlLinuxX86_64());
        Files.createDirectories(out.getParent());
        Files.writeString(out, bundle.toManifest(), StandardCharsets.UTF_8);  // silent: builds run with mvn -q
    }
}
