package com.warehouseexport.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Percentiles by nearest rank, of values in milliseconds. */
record Stats(int count, double p50, double p95, double min, double max, double mean) {
    static Stats of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), sorted[0], sorted[sorted.length - 1],
            Arrays.stream(sorted).average().orElse(Double.NaN));
    }

    private static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : value >= 100 ? String.format("%.0f", value) : String.format("%.1f", value);
    }
}
