package com.warehouseexport.model.warehouse;

import java.util.List;
import java.util.Objects;

/**
 * The rows of a small finished result, for an inline answer ({@code "wait"} on {@code POST /exports}): column names
 * and types (the engine's own type names, or {@code string} where the engine reports none) and every value as text,
 * {@code null} for SQL NULL.
 */
public record InlineResult(List<Column> columns, List<List<String>> rows) {
    public record Column(String name, String type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** When a result is small enough to be answered inline: bytes of result data, and rows. */
    public record Limits(long maxBytes, int maxRows) {
        public static final Limits DEFAULT = new Limits(1024 * 1024, 10_000);
    }

    public InlineResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
