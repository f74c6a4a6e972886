package com.warehouseexport.model.warehouse;

import java.time.Duration;
import java.util.Objects;

/**
 * What a warehouse says about one export's execution.
 *
 * @param executionId the id as stored on the request ({@link Warehouses} form)
 * @param state       common state
 * @param error       the warehouse's error text when FAILED/ABORTED, else null
 * @param duration    run time so far or in total; null when unknown
 * @param rows        rows written, -1 when the warehouse does not say
 * @param bytes       bytes written or scanned, -1 when unknown
 * @param output      where the result files are
 * @param requestId   the export request this execution belongs to, when the warehouse can tell (null otherwise)
 */
public record WarehouseExecution(String executionId, ExecutionState state, String error, Duration duration, long rows,
                                 long bytes, ResultFiles output, String requestId) {
    public WarehouseExecution {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(state, "state");
    }
}
