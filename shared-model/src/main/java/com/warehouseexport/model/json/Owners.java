package com.warehouseexport.model.json;

import com.warehouseexport.model.sql.TextRules;

import java.util.Optional;

/**
 * Who owns a request: the caller's IAM identity as API Gateway's IAM authorisation reports it
 * ({@code requestContext.identity.userArn}, else {@code caller}). The receiver stores it and the status
 * function compares it, so both must derive it here.
 */
public final class Owners {
    /** IAM ARNs are at most 2048 characters. */
    private static final int MAX_LENGTH = 2048;

    private Owners() {
    }

    /** The owner for this identity, or empty when neither value is a usable identity. */
    public static Optional<String> fromIdentity(String userArn, String caller) {
        String owner = usable(userArn);
        return Optional.ofNullable(owner != null ? owner : usable(caller));
    }

    private static String usable(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH || TextRules.firstForbidden(trimmed) >= 0) {
            return null;
        }
        return trimmed;
    }
}
