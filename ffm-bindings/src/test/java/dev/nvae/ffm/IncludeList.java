package dev.nvae.ffm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The symbols of one jextract-includes*.txt file (copied among the classes under dev/nvae/ffm/dnnl/). */
record IncludeList(List<String> functions, List<String> constants, List<String> typedefs, List<String> structs) {

    static IncludeList read(String fileName) throws IOException {
        String resource = "dev/nvae/ffm/dnnl/" + fileName;
        List<String> functions = new ArrayList<>(), constants = new ArrayList<>(), typedefs = new ArrayList<>(),
                structs = new ArrayList<>();
        try (InputStream in = IncludeList.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the test classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] w = line.strip().split("\\s+");
                if (w.length < 2 || !w[0].startsWith("--include-")) {
                    continue;
                }
                switch (w[0]) {
                    case "--include-function" -> functions.add(w[1]);
                    case "--include-constant" -> constants.add(w[1]);
                    case "--include-typedef" -> typedefs.add(w[1]);
                    case "--include-struct" -> structs.add(w[1]);
                    default -> throw new IOException(resource + ": unexpected option " + w[0]);
                }
            }
        }
        return new IncludeList(functions, constants, typedefs, structs);
    }
}
