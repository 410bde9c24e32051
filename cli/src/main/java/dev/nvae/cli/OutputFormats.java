package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.OutputTarget;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static java.util.Map.entry;

/**
 * A single output file whose name promises another format is refused: {@code reconstruct --out r.jpg} would
 * otherwise write PNG bytes under a JPEG's name, and {@code train --out m.npy} a model that every NPY reader
 * takes for a broken array. Only extensions that name a well-known format are judged; a name without one, or
 * with one not listed here (.bin, .out, .1), is the user's choice, as is standard output ({@code -}). A device or
 * FIFO is judged by its name like any file: one called p.jpg is refused as the file would be.
 */
final class OutputFormats {
    static final String PNG = "PNG", NPY = "NPY", SAFETENSORS = "safetensors", JSON = "JSON";
    private static final String PLAIN_TEXT = "plain text";

    private static final Map<String, String> FORMAT_OF_EXTENSION = Map.ofEntries(
            entry("png", PNG), entry("jpg", "JPEG"), entry("jpeg", "JPEG"), entry("gif", "GIF"), entry("bmp", "BMP"),
            entry("webp", "WebP"), entry("tif", "TIFF"), entry("tiff", "TIFF"), entry("svg", "SVG"), entry("pdf", "PDF"),
            entry("npy", NPY), entry("npz", "NPZ"), entry("csv", "CSV"), entry("tsv", "TSV"),
            entry("json", JSON), entry("jsonl", JSON), entry("ndjson", JSON),
            entry("safetensors", SAFETENSORS), entry("pt", "PyTorch"), entry("pth", "PyTorch"), entry("onnx", "ONNX"),
            entry("h5", "HDF5"), entry("parquet", "Parquet"), entry("html", "HTML"), entry("htm", "HTML"),
            entry("txt", PLAIN_TEXT), entry("md", "Markdown"), entry("xml", "XML"), entry("yaml", "YAML"), entry("yml", "YAML"),
            entry("gz", "gzip"), entry("xz", "xz"), entry("zip", "ZIP"), entry("tar", "tar"));

    /** The extension a file of each format we write should carry, for the message's suggestion. */
    private static final Map<String, String> EXTENSION_OF_FORMAT = Map.of(PNG, "png", NPY, "npy", SAFETENSORS, "safetensors",
            JSON, "jsonl");

    private OutputFormats() {
    }

    /**
     * Refuses {@code out} if its extension names a format other than {@code format}.
     *
     * @param what the command or option that writes it, for the message ("reconstruct", "--format grid")
     */
    static void require(Path out, String flag, String format, String what) {
        if (out == null || OutputTarget.isStandardOutput(out) || out.getFileName() == null) return;
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) return;
        String extension = name.substring(dot + 1);
        String named = FORMAT_OF_EXTENSION.get(extension.toLowerCase(Locale.ROOT));
        // JSON lines are plain text: a log named .txt promises nothing they break.
        if (named == null || named.equals(format) || format.equals(JSON) && named.equals(PLAIN_TEXT)) return;
        String stem = name.substring(0, dot);
        // m.safetensors.gz: the stem already names what is written (and nvae compresses nothing), so it is the name to use.
        int inner = stem.lastIndexOf('.');
        boolean stemNamesIt = inner > 0 && format.equals(FORMAT_OF_EXTENSION.get(stem.substring(inner + 1).toLowerCase(Locale.ROOT)));
        String suggestion = stemNamesIt ? stem : stem + "." + EXTENSION_OF_FORMAT.get(format);
        throw new NvaeException(flag + " " + out + ": ." + extension + " names the " + named + " format, but " + what + " writes "
                + format + ": name it " + suggestion);
    }
}
