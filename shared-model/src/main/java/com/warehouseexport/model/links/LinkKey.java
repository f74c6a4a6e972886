package com.warehouseexport.model.links;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HMAC key for download-link tokens. {@code id} travels in every token, so a verifier picks the key the token
 * was signed with (the current or the previous one after a rotation).
 */
public final class LinkKey {
    /** Shorter keys are refused: HMAC-SHA256 wants at least 32 bytes of key. */
    public static final int MIN_LENGTH = 32;

    private final String id;
    private final byte[] material;

    public LinkKey(String id, byte[] material) {
        this.id = Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(LinkKey::isIdChar)) {
            throw new IllegalArgumentException("key id must be 1 to 64 letters, digits, '-' or '_'");
        }
        if (material == null || material.length < MIN_LENGTH) {
            throw new IllegalArgumentException("key " + id + " is shorter than " + MIN_LENGTH + " bytes");
        }
        this.material = material.clone();
    }

    public static LinkKey ofText(String id, String material) {
        return new LinkKey(id, material.getBytes(StandardCharsets.UTF_8));
    }

    public String id() {
        return id;
    }

    byte[] material() {
        return material.clone();
    }

    static boolean isIdChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "LinkKey[" + id + "]";   // never the material
    }
}
