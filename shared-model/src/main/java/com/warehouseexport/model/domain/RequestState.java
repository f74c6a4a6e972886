package com.warehouseexport.model.domain;

/**
 * Life cycle of an export request.
 *
 * <p>The happy path is RECEIVED → QUEUED → SUBMITTED → RUNNING → PACKAGING → SUCCEEDED. A request only moves
 * forward along it; steps may be skipped (the poller may first see a statement when it has already finished,
 * so SUBMITTED → PACKAGING is legal) except that SUCCEEDED is reachable only from PACKAGING, where the result is
 * produced. FAILED and CANCELLED are reachable from any non-final state. Final states never change.
 */
public enum RequestState {
    RECEIVED,
    QUEUED,
    SUBMITTED,
    RUNNING,
    PACKAGING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** In flight = not final; these items carry the sparse {@code inFlight} index key. */
    public boolean isInFlight() {
        return !isFinal();
    }

    public boolean canMoveTo(RequestState next) {
        if (next == null || isFinal() || next == this) {
            return false;
        }
        if (next == FAILED || next == CANCELLED) {
            return true;
        }
        if (next == SUCCEEDED) {
            return this == PACKAGING;
        }
        // Declaration order is the order of the happy path.
        return next.ordinal() > ordinal();
    }

    /** Parses a stored or user-supplied name, case-insensitively; {@code IllegalArgumentException} otherwise. */
    public static RequestState parse(String name) {
        if (name != null) {
            for (RequestState state : values()) {
                if (state.name().equalsIgnoreCase(name)) {
                    return state;
                }
            }
        }
        throw new IllegalArgumentException("Unknown request state: " + name);
    }
}
