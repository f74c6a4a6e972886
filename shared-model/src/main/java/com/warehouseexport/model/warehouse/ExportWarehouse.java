package com.warehouseexport.model.warehouse;

import java.util.Optional;

/**
 * The port every warehouse engine implements: the processor, the poller and the status code talk to this (through
 * {@link Warehouses}), never to an engine's SDK. Execution ids here are the engine's own.
 */
public interface ExportWarehouse {
    /** The catalog's {@code warehouse} value: {@code redshift} or {@code athena}. */
    String engine();

    /**
     * The statement that exports the job, rendered and checked before anything is written.
     *
     * @throws IllegalArgumentException when it cannot be built (parameters, format, size)
     */
    String statement(ExportJob job);

    /**
     * Starts the statement; a repeated call for the same request id returns the same execution instead of running a
     * second one (the engine's idempotency token is the request id).
     *
     * @throws WarehouseRejectedException when the warehouse refuses it as written (retrying cannot help)
     */
    String submit(ExportJob job, String statement);

    /** @throws ExecutionNotFoundException when the warehouse does not know the id (any more) */
    WarehouseExecution describe(String executionId);

    /** Stops the execution if it still runs; a finished one is left as it is. */
    void cancel(String executionId);

    /**
     * The rows of a finished CSV export for an inline answer, read the engine's own way; empty when the result is
     * over {@code limits} (nothing more is read once it is) or this engine cannot read it so.
     *
     * @param requestId the request the execution belongs to (where its files are)
     */
    Optional<InlineResult> smallResult(String executionId, String requestId, InlineResult.Limits limits);
}
