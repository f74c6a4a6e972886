package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.warehouse.InlineResult;
import com.warehouseexport.model.warehouse.Warehouses;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rows of a small finished CSV export for an inline answer:
 * {@code {"columns":[{"name","type"}],"rows":[[...],...]}}, read by the warehouse that ran it
 * ({@link Warehouses#smallResult}: Redshift from its UNLOAD parts, Athena through GetQueryResults). Nothing is
 * returned (and the caller uses the download link) when the export is not a succeeded CSV export, has no recorded
 * execution, or is over the limits (the recorded row count is checked before anything is read; the engine checks
 * again while reading). A gzip export's parts are decoded while read; a zstd export gets no inline rows.
 */
public final class InlineRows {
    private final Warehouses warehouses;
    private final InlineResult.Limits limits;

    public InlineRows(Warehouses warehouses, InlineResult.Limits limits) {
        this.warehouses = Objects.requireNonNull(warehouses, "warehouses");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The inline body for a succeeded, small CSV export; empty otherwise. */
    public Optional<ObjectNode> read(ExportRequest request) {
        if (request.state() != RequestState.SUCCEEDED || request.format() != ExportFormat.CSV
                || request.statementId() == null) {
            return Optional.empty();
        }
        // gzip parts are decoded with the JDK; zstd would need a decoder in this jar for a small convenience
        if (request.compression() == Compression.ZSTD) {
            return Optional.empty();
        }
        if (request.result() != null && request.result().rows() > limits.maxRows()) {
            return Optional.empty();
        }
        return warehouses.smallResult(request.statementId(), request.requestId(), limits).map(InlineRows::toJson);
    }

    static ObjectNode toJson(InlineResult result) {
        ObjectNode inline = Json.object();
        ArrayNode columns = inline.putArray("columns");
        for (InlineResult.Column column : result.columns()) {
            columns.addObject().put("name", column.name()).put("type", column.type());
        }
        ArrayNode rows = inline.putArray("rows");
        for (List<String> values : result.rows()) {
            ArrayNode row = rows.addArray();
            for (String value : values) {
                if (value == null) {
                    row.addNull();
                } else {
                    row.add(value);
                }
            }
        }
        return inline;
    }
}
