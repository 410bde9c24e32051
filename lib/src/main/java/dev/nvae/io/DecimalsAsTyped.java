package dev.nvae.io;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decimal flag's value in a message, put back as the user typed it. The checks that refuse one (mostly in the library,
 * which sees only the number) print Java's rendering of it, so {@code --lr 0} came back as "--lr 0.0" and {@code --sigma
 * 1e300} as "--sigma 1.0E300". Both front ends (nvae's CLI, the Spark jobs) give each decimal option they parsed to
 * {@link #restore}: their option parser is theirs, this is only the text.
 */
public final class DecimalsAsTyped {
    private DecimalsAsTyped() {
    }

    /** An option as the front end's parser matched it: its longest name, its Java type, its values as typed. */
    public record Matched(String flag, Class<?> type, List<String> typed) {
    }

    /** {@code message} with every decimal option among {@code matched} put back as typed (others are left alone). */
    public static String restore(String message, List<Matched> matched) {
        for (Matched o : matched) {
            Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
            if (t != double.class && t != Double.class && t != float.class && t != Float.class) continue;
            message = restore(message, o.flag(), o.typed(), t == float.class || t == Float.class);
        }
        return message;
    }

    /**
     * {@code message} with "{@code flag} RENDERED" made "{@code flag} TYPED": {@code typed} is the option's values as given
     * (several for a list, joined by ','), {@code isFloat} whether they were parsed as floats rather than doubles. A value
     * that is no number, or that Java renders as typed, leaves the message as it is; so does a longer number that begins with
     * the rendering.
     */
    public static String restore(String message, String flag, List<String> typed, boolean isFloat) {
        List<String> rendered = new ArrayList<>();
        try {
            for (String v : typed) {
                rendered.add(isFloat ? String.valueOf(Float.parseFloat(v.strip())) : String.valueOf(Double.parseDouble(v.strip())));
            }
        } catch (NumberFormatException notANumber) {
            return message;
        }
        String as = String.join(",", typed), was = String.join(",", rendered);
        if (as.equals(was)) return message;
        // Only the flag followed by its value, and not a longer number that begins with it.
        return message.replaceAll(Pattern.quote(flag + " " + was) + "(?![0-9.eE])", Matcher.quoteReplacement(flag + " " + as));
    }
}
