package com.warehouseexport.model.domain;

import java.util.UUID;

/** Request ids: random (version 4) UUIDs, lower case, which also serve as unguessable handles. */
public final class RequestIds {
    private static final int LENGTH = 36;

    private RequestIds() {
    }

    /** 122 random bits from {@link java.security.SecureRandom} (what {@link UUID#randomUUID()} uses). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** True only for the canonical lower-case form of a version 4, variant 1 UUID; safe for any input. */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = candidate.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        char version = candidate.charAt(14);
        char variant = candidate.charAt(19);
        return version == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
    }
}
