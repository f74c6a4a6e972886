package com.warehouseexport.model.table;

/**
 * {@code create} with an {@link IdempotencyClaim}: the caller already used this key within its lifetime, so
 * nothing was written. {@link #requestId()} is the request the key first created; {@link #sameOrder()} tells a
 * retry of the same order from a different order under the same key.
 */
public final class IdempotencyKeyTakenException extends RuntimeException {
    private final String requestId;
    private final boolean sameOrder;

    public IdempotencyKeyTakenException(String requestId, boolean sameOrder) {
        super("Idempotency key already used for request " + requestId, null, false, false);
        this.requestId = requestId;
        this.sameOrder = sameOrder;
    }

    public String requestId() {
        return requestId;
    }

    public boolean sameOrder() {
        return sameOrder;
    }
}
