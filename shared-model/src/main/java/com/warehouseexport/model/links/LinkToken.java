package com.warehouseexport.model.links;

import java.time.Instant;
import java.util.Objects;

/** What a download-link token says once its signature has been checked. */
public record LinkToken(String requestId, Instant expiresAt, String keyId) {
    public LinkToken {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(keyId, "keyId");
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
