package com.warehouseexport.model.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What a successful export produced: row and byte counts from the UNLOAD manifest, the number of parts,
 * the archive object and the presigned link to it.
 */
public record ExportResult(
        long rows,
        long bytes,
        ExportFormat format,
        int parts,
        String downloadUrl,
        Instant expiresAt,
        String archiveKey) {
    public ExportResult {
        Objects.requireNonNull(format, "format");
        if (rows < 0 || bytes < 0 || parts < 0) {
            throw new IllegalArgumentException("rows, bytes and parts cannot be negative");
        }
    }
}
