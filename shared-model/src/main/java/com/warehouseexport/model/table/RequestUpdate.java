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
}
