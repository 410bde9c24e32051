package dev.nvae.api;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's messages in the API's words. Below the API, a failure is worded for the CLI — "--epochs 1 is fewer",
 * "run this model at --precision fp32", "--data DIR: ... is not a directory" — and an API caller never typed those
 * flags: each is rewritten as the option, setting or value that caller gives instead ({@code epochs},
 * {@code Precision.FP32}, {@code data}). A flag with no counterpart in the API ({@code --on-nan}) is left out with the
 * clause that suggests it. Text that names a command itself ({@code nvae train --labels none}) stays as it is.
 */
final class ApiMessages {
    private ApiMessages() {
    }

    /** A flag and its value, as {@code --precision bf16}: the API spells these as constants. */
    private static final Map<String, String> VALUES = Map.of(
            "--precision bf16", "Precision.BF16",
            "--precision fp32", "Precision.FP32",
            "--backend onednn", "ComputeBackend.ONEDNN",
            "--backend vector", "ComputeBackend.VECTOR",
            "--backend auto", "ComputeBackend.AUTO");

    /** A flag alone: the name of the API's option, setting or argument that does its job. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("--precision", "precision"),
            Map.entry("--backend", "backend"),
            Map.entry("--threads", "threads"),
            Map.entry("--data", "data"),
            Map.entry("--epochs", "epochs"),
            Map.entry("--batch", "batchSize"),
            Map.entry("--lr", "learningRate"),
            Map.entry("--seed", "seed"),
            Map.entry("--limit", "limit"),
            Map.entry("--keep", "keep"),
            Map.entry("--checkpoint-every", "everySteps"),
            Map.entry("--resume", "resume"),
            Map.entry("--out", "out"),
            Map.entry("--model", "family"),
            Map.entry("--arch", "architecture"),
            Map.entry("--beta-c", "betaC"),
            Map.entry("--alpha", "alpha"),
            Map.entry("--beta", "beta"),
            Map.entry("--ds", "latents"),
            Map.entry("--dc", "latents"),
            Map.entry("--dz", "latents"),
            Map.entry("--labelled-share", "the labelled share"),
            Map.entry("--iw", "iw"),
            Map.entry("--class", "class"),
            Map.entry("--n", "n"));

    /**
     * ", or --on-nan skip", ", under either --likelihood" and the like: advice or qualifications about a flag the API
     * has no setting for.
     */
    private static final Pattern NO_COUNTERPART = Pattern.compile(",? or --on-nan \\w+|,? under either --likelihood");
    /** A flag, with the value after it; not one that follows "nvae COMMAND ...", which quotes the CLI on purpose. */
    private static final Pattern FLAG = Pattern.compile("(?<!nvae [a-z]{1,12} )(?<![\\w-])(--[a-z][a-z0-9-]*)(?: (bf16|fp32|onednn|vector|auto)\\b)?");

    /** {@code message} with the CLI's flags written as the API's names. */
    static String of(String message) {
        if (message == null || !message.contains("--")) return message;
        String text = NO_COUNTERPART.matcher(message).replaceAll("");
        Matcher m = FLAG.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String flag = m.group(1), value = m.group(2);
            String replacement;
            if (value != null && VALUES.containsKey(flag + " " + value)) replacement = VALUES.get(flag + " " + value);
            else if (NAMES.containsKey(flag)) replacement = NAMES.get(flag) + (value == null ? "" : " " + value);
            else replacement = m.group();  // a flag the API has no word for: left as the library wrote it
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
