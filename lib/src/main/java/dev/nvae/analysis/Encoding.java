package dev.nvae.analysis;

import java.util.List;

/** Posterior means and log-variances per example, one row each, with named columns. */
public record Encoding(List<String> columns, float[][] rows) {
}
