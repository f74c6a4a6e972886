package com.warehouseexport.model.table;

import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportResult;

/**
 * Attributes written together with a state change: a statement id, a result, an error. Typed on purpose:
 * the item layout stays in {@link RequestItems}.
 */
public final class RequestUpdate {
    private String statementId;
    private ExportResult result;
    private ExportError error;

    private RequestUpdate() {
    }

    public static RequestUpdate none() {
        return new RequestUpdate();
    }

    public static RequestUpdate withResult(ExportResult result) {
        return new RequestUpdate().result(result);
    }

    public static RequestUpdate withError(ExportError error) {
        return new RequestUpdate().error(error);
    }

    public static RequestUpdate withStatementId(String statementId) {
        return new RequestUpdate().statementId(statementId);
    }

    public RequestUpdate statementId(String statementId) {
        this.statementId = statementId;
        return this;
    }

    public RequestUpdate result(ExportResult result) {
        this.result = result;
        return this;
    }

    public RequestUpdate error(ExportError error) {
        this.error = error;
        return this;
    }

    public String statementId() {
        return statementId;
    }

    public ExportResult result() {
        return result;
    }

    public ExportError error() {
        return error;
    }

    // Added for the result poller (branch async): final states that still owe a notification.
    private boolean keepInFlight;

    /**
     * A move to a final state normally takes the request out of the sparse {@code inFlight} index; with this
     * it stays there until {@link RequestLeases#recordNotified} removes it, so the poller still finds it and
     * sends its one email even if it dies right after the move.
     */
    public RequestUpdate keepInFlight() {
        this.keepInFlight = true;
        return this;
    }

    public boolean keepsInFlight() {
        return keepInFlight;
    }
}
