package com.warehouseexport.model.warehouse;

/**
 * The states every warehouse's executions map to. PENDING: accepted, not yet running (Redshift SUBMITTED, Athena
 * QUEUED); RUNNING (Redshift PICKED/STARTED, Athena RUNNING); FINISHED (FINISHED / SUCCEEDED); FAILED; ABORTED
 * (Redshift ABORTED, Athena CANCELLED). UNKNOWN: a state newer than this code; wait and look again.
 */
public enum ExecutionState {
    PENDING,
    RUNNING,
    FINISHED,
    FAILED,
    ABORTED,
    UNKNOWN;

    public boolean isFinal() {
        return this == FINISHED || this == FAILED || this == ABORTED;
    }
}
