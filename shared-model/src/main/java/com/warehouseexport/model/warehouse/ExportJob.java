package com.warehouseexport.model.warehouse;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.RequestIds;
import java.util.Objects;

/**
 * One export to run: the request id (also the idempotency token: a repeated submit gets the same execution), the
 * dataset with validated parameters, the format and the compression of the data files.
 */
public record ExportJob(String requestId, Dataset dataset, ValidatedParameters parameters,
                        ExportFormat format, Compression compression) {
    /** Name given to the execution where the warehouse takes one (Redshift's StatementName). */
    public static final String NAME_PREFIX = "export-";

    public ExportJob {
        if (!RequestIds.isWellFormed(requestId)) {
            throw new IllegalArgumentException("not a request id: " + requestId);
        }
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
    }

    /** An uncompressed export. */
    public ExportJob(String requestId, Dataset dataset, ValidatedParameters parameters, ExportFormat format) {
        this(requestId, dataset, parameters, format, Compression.NONE);
    }

    /** {@code export-<requestId>}. */
    public String name() {
        return NAME_PREFIX + requestId;
    }
}
