package com.warehouseexport.model.domain;

import com.warehouseexport.model.catalog.ValidatedParameters;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An export request as stored in the control table. {@code version} starts at 1 (RECEIVED) and grows by one
 * with every state change; {@code statementId}, {@code result} and {@code error} are {@code null} until known.
 * Times are UTC with millisecond precision. {@code compression} is {@link Compression#NONE} unless the caller asked.
 */
public record ExportRequest(
        String requestId,
        String owner,
        String dataset,
        ValidatedParameters parameters,
        ExportFormat format,
        RequestState state,
        long version,
        Instant createdAt,
        Instant updatedAt,
        String statementId,
        ExportResult result,
        ExportError error,
        Compression compression) {

    public ExportRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(compression, "compression");
        createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
        updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** An uncompressed export's request (the form every request had before {@code compression}). */
    public ExportRequest(String requestId, String owner, String dataset, ValidatedParameters parameters,
                         ExportFormat format, RequestState state, long version, Instant createdAt, Instant updatedAt,
                         String statementId, ExportResult result, ExportError error) {
        this(requestId, owner, dataset, parameters, format, state, version, createdAt, updatedAt, statementId,
                result, error, Compression.NONE);
    }

    /** A new request in state RECEIVED, version 1. */
    public static ExportRequest received(String requestId, String owner, String dataset,
                                         ValidatedParameters parameters, ExportFormat format, Instant now) {
        return new ExportRequest(requestId, owner, dataset, parameters, format, RequestState.RECEIVED, 1,
                now, now, null, null, null);
    }

    /** A new request in state RECEIVED, version 1, with its data files compressed as asked. */
    public static ExportRequest received(String requestId, String owner, String dataset,
                                         ValidatedParameters parameters, ExportFormat format,
                                         Compression compression, Instant now) {
        return new ExportRequest(requestId, owner, dataset, parameters, format, RequestState.RECEIVED, 1,
                now, now, null, null, null, compression);
    }

    /** Name of the data file suffix the warehouse writes, e.g. {@code csv.gz}: format extension + compression. */
    public String fileExtension() {
        return format.fileExtension() + compression.fileSuffix();
    }
}
