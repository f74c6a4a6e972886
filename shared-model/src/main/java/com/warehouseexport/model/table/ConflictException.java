package com.warehouseexport.model.table;

import com.warehouseexport.model.domain.ExportRequest;

import java.util.Optional;

/**
 * A conditional write of the control table did not apply. Not an error in itself: another writer got there
 * first (or the request is not where the caller thought). {@link #current()} is the item as DynamoDB saw it
 * when the condition failed, when it returned one; otherwise re-read with {@code ControlTable.get}.
 */
public final class ConflictException extends RuntimeException {
    public enum Reason {
        /** {@code create}: a request with this id already exists. */
        ALREADY_EXISTS,
        /** No request with this id. */
        NOT_FOUND,
        /** The request is no longer in the expected state/version. */
        STALE,
        /** {@code setStatementId}: a statement id is already stored. */
        STATEMENT_ALREADY_SET
    }

    private final String requestId;
    private final Reason reason;
    private final transient ExportRequest current;

    public ConflictException(String requestId, Reason reason, ExportRequest current, String message) {
        super(message, null, false, false);
        this.requestId = requestId;
        this.reason = reason;
        this.current = current;
    }

    public String requestId() {
        return requestId;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<ExportRequest> current() {
        return Optional.ofNullable(current);
    }
}
