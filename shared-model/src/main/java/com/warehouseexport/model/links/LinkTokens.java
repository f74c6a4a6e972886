package com.warehouseexport.model.links;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the tokens of durable download links: {@code base64url(payload) "." base64url(mac)} where the
 * payload is {@code "v1.<requestId>.<expiry epoch seconds>.<key id>"} and the mac is HMAC-SHA256 of the payload's
 * bytes under the named key. Nothing in a token is secret; it only cannot be forged or altered.
 *
 * <p>Verification says nothing about why a token is refused (a bad signature, an unknown key and garbage look the
 * same); only a correctly signed token can be reported as expired.
 */
public final class LinkTokens {
    static final String VERSION = "v1";
    static final String ALGORITHM = "HmacSHA256";
    /** Far above a real token (~170 characters); longer input is refused before any decoding. */
    static final int MAX_TOKEN_LENGTH = 512;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final LinkKeys keys;
    private final Clock clock;

    public LinkTokens(LinkKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token for {@code requestId}, valid until {@code expiresAt}, signed with the current key. */
    public String sign(String requestId, Instant expiresAt) {
        if (requestId == null || requestId.isEmpty() || requestId.contains(".")) {
            throw new IllegalArgumentException("request id must be non-empty and free of '.'");
        }
        LinkKey key = keys.signingKey();
        byte[] payload = (VERSION + "." + requestId + "." + expiresAt.getEpochSecond() + "." + key.id())
                .getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(key, payload));
    }

    /** The outcome of checking a token. */
    public sealed interface Verification permits Valid, Expired, Invalid {
    }

    /** Correctly signed, not expired. */
    public record Valid(LinkToken token) implements Verification {
    }

    /** Correctly signed, past its expiry. */
    public record Expired(LinkToken token) implements Verification {
    }

    /** Anything else; {@code reason} is for the log only, never for the caller. */
    public record Invalid(String reason) implements Verification {
    }

    public Verification verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return new Invalid("missing or oversized token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return new Invalid("not two parts");
        }
        byte[] payload;
        byte[] presentedMac;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            presentedMac = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Invalid("not base64url");
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\\.", -1);
        if (fields.length != 4 || !VERSION.equals(fields[0])) {
            return new Invalid("unknown payload layout");
        }
        Optional<LinkKey> key = keys.verificationKey(fields[3]);
        if (key.isEmpty()) {
            return new Invalid("unknown or retired key " + shorten(fields[3]));
        }
        // Constant time: how many leading bytes matched must not show in the response time.
        if (!MessageDigest.isEqual(mac(key.get(), payload), presentedMac)) {
            return new Invalid("signature mismatch");
        }
        long expiry;
        try {
            expiry = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return new Invalid("expiry is not a number");   // cannot happen for a token we signed
        }
        LinkToken parsed = new LinkToken(fields[1], Instant.ofEpochSecond(expiry), fields[3]);
        return parsed.isExpiredAt(clock.instant()) ? new Expired(parsed) : new Valid(parsed);
    }

    static byte[] mac(LinkKey key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.material(), ALGORITHM));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
