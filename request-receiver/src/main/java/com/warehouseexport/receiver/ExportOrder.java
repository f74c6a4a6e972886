package com.warehouseexport.receiver;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;

import java.util.Objects;

/**
 * A fully validated export order, ready to be recorded: the dataset, its typed parameters, the output format
 * and an optional note for the request's history (e.g. the reference fields of {@code POST /product}).
 */
public record ExportOrder(Dataset dataset, ValidatedParameters parameters, ExportFormat format, String note) {
    public ExportOrder {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(format, "format");
    }
}
