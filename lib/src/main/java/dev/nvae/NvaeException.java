package dev.nvae;

/**
 * An error a user can act on: the message is one line that names the file, flag or quantity at fault
 * and the reason. The CLI prints exactly this message and exits non-zero.
 */
public class NvaeException extends RuntimeException {
    public NvaeException(String message) {
        super(message);
    }

    public NvaeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A flag's value as a message shows it: an empty one as '', which would otherwise vanish ("--arch : expected ..."),
     * and one with spaces around it quoted too ("--dtype  bf16: expected fp32 or bf16" read as refusing bf16).
     */
    public static String shown(String value) {
        return value != null && (value.isEmpty() || !value.strip().equals(value)) ? "'" + value + "'" : String.valueOf(value);
    }

    /**
     * {@code text} for a one-line message: each control character written as a Java literal writes it ({@code \n},
     * {@code \r}, {@code \t}, else {@code \}{@code uXXXX}), so that a name or value holding one cannot break the line.
     */
    public static String escapedControls(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
                    else b.append((char) c);
                }
            }
        });
        return b.toString();
    }
}
