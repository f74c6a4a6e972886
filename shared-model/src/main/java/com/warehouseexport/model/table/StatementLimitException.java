package com.warehouseexport.model.table;

/**
 * A move into SUBMITTED was refused because {@code limit} requests already hold a warehouse statement slot.
 * Nothing was written; try again later (the request stays where it was).
 */
public final class StatementLimitException extends RuntimeException {
    private final String requestId;
    private final int limit;

    public StatementLimitException(String requestId, int limit) {
        super("Request " + requestId + ": all " + limit + " warehouse statement slots are taken", null, false, false);
        this.requestId = requestId;
        this.limit = limit;
    }

    public String requestId() {
        return requestId;
    }

    public int limit() {
        return limit;
    }
}
