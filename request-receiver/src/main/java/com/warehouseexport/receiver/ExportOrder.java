package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.IdempotencyClaim;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A fully validated export order, ready to be recorded: the dataset, its typed parameters, the output format
 * (and compression of its data files) and an optional note for the request's history (e.g. the reference fields of {@code POST /product}).
 */
public record ExportOrder(Dataset dataset, ValidatedParameters parameters, ExportFormat format, String note,
                          Compression compression) {
    public ExportOrder {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
    }

    /** An order for uncompressed data files. */
    public ExportOrder(Dataset dataset, ValidatedParameters parameters, ExportFormat format, String note) {
        this(dataset, parameters, format, note, Compression.NONE);
    }

    /**
     * SHA-256 of the order in a canonical form (dataset, format, compression unless none, note, then the typed
     * parameters sorted by name),
     * so two bodies that mean the same order (field order, whitespace, {@code 3} vs {@code 3.0} for an integer)
     * hash alike and any difference in meaning does not.
     */
    public String canonicalHash() {
        StringBuilder text = new StringBuilder();
        text.append("dataset=").append(Json.write(Json.mapper().getNodeFactory().textNode(dataset.name())));
        text.append("\nformat=").append(format.name());
        if (compression != Compression.NONE) {
            // only when asked for, so an uncompressed order hashes as it did before the option existed
            text.append("\ncompression=").append(compression.name());
        }
        text.append("\nnote=").append(note == null ? "null" : Json.write(Json.mapper().getNodeFactory().textNode(note)));
        Map<String, JsonNode> sorted = new TreeMap<>();
        parameters.toStoredJson().properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
        sorted.forEach((name, value) -> text.append("\nparameter ")
                .append(Json.write(Json.mapper().getNodeFactory().textNode(name))).append('=').append(Json.write(value)));
        return IdempotencyClaim.sha256Hex(text.toString());
    }
}
