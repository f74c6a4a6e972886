package com.warehouseexport.model.table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A caller's {@code Idempotency-Key} for one submission, written in the same transaction as the new request
 * (design page, "Control table"): item {@code pk = IDEM#<sha-256 of owner>#<key>}, {@code sk = IDEMPOTENCY}.
 * The owner is hashed so the key stays short whatever the ARN; keys of two callers never meet.
 *
 * @param orderHash canonical hash of the validated order, to tell a retry from a different order under the
 *                  same key
 */
public record IdempotencyClaim(String owner, String key, String orderHash) {
    /** How long a key is kept (and answered from) after its first use. */
    public static final Duration KEEP = Duration.ofHours(24);
    public static final int MAX_KEY_LENGTH = 255;

    public IdempotencyClaim {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(orderHash, "orderHash");
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("invalid idempotency key");
        }
    }

    /** 1 to 255 printable ASCII characters (space to tilde). */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    String partitionKey() {
        return "IDEM#" + sha256Hex(owner) + "#" + key;
    }

    /** Lower-case hex SHA-256 of the UTF-8 text. */
    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
