package dev.nvae.ffm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The symbols of one jextract-includes*.txt file (copied among the classes under dev/nvae/ffm/dnnl/), and for
 * each the header its "#### Extracted from:" section names.
 */
record IncludeList(List<String> functions, List<String> constants, List<String> typedefs, List<String> structs,
                   Map<String, String> headerOf) {

    /** The part of this list extracted from {@code header} (a file name as the sections give it). */
    IncludeList section(String header) {
        Predicate<String> from = s -> header.equals(headerOf.get(s));
        return new IncludeList(functions.stream().filter(from).toList(), constants.stream().filter(from).toList(),
                typedefs.stream().filter(from).toList(), structs.stream().filter(from).toList(), headerOf);
    }

    /** The headers named by the sections, in order. */
    List<String> headers() {
        return headerOf.values().stream().distinct().toList();
    }

    static IncludeList read(String fileName) throws IOException {
        String resource = "dev/nvae/ffm/dnnl/" + fileName;
        List<String> functions = new ArrayList<>(), constants = new ArrayList<>(), typedefs = new ArrayList<>(),
                structs = new ArrayList<>();
        Map<String, String> headerOf = new LinkedHashMap<>();
        String header = "";
        try (InputStream in = IncludeList.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the test classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#### Extracted from:")) {
                    header = line.substring("#### Extracted from:".length()).strip();
                }
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
                headerOf.put(w[1], header);
            }
        }
        return new IncludeList(functions, constants, typedefs, structs, headerOf);
    }
}
