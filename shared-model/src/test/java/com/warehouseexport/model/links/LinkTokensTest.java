package com.warehouseexport.model.links;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LinkTokensTest {
    private static final String REQUEST = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EXPIRY = NOW.plusSeconds(86_400);

    private final RotatingKeys keys = new RotatingKeys(RotatingKeys.key("k1", 'a'));

    private LinkTokens at(Instant now) {
        return new LinkTokens(keys, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSignedTokenVerifiesWithItsFields() {
        String token = at(NOW).sign(REQUEST, EXPIRY);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "base64url, no padding: " + token);
        var valid = assertInstanceOf(LinkTokens.Valid.class, at(NOW).verify(token));
        assertEquals(new LinkToken(REQUEST, EXPIRY, "k1"), valid.token());
        System.out.println("token length " + token.length());
    }

    @Test
    void expiresAtItsExpiry() {
        String token = at(NOW).sign(REQUEST, EXPIRY);
        assertInstanceOf(LinkTokens.Valid.class, at(EXPIRY.minusSeconds(1)).verify(token));
        var expired = assertInstanceOf(LinkTokens.Expired.class, at(EXPIRY).verify(token));
        assertEquals(REQUEST, expired.token().requestId());
        assertInstanceOf(LinkTokens.Expired.class, at(EXPIRY.plusSeconds(3600)).verify(token));
    }

    @Test
    void anAlteredPayloadIsInvalid() {
        String token = at(NOW).sign(REQUEST, EXPIRY);
        String mac = token.substring(token.indexOf('.') + 1);
        // a later expiry and another request, each kept with the original signature
        String longer = payload("v1." + REQUEST + "." + EXPIRY.plusSeconds(999_999).getEpochSecond() + ".k1");
        String other = payload("v1.1b4e28ba-2fa1-41d2-883f-0016d3cca427." + EXPIRY.getEpochSecond() + ".k1");
        assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(longer + "." + mac));
        assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(other + "." + mac));
        // an expired token stays "invalid", not "expired", once altered: nothing is revealed about a forgery
        assertInstanceOf(LinkTokens.Invalid.class, at(EXPIRY.plusSeconds(1)).verify(longer + "." + mac));
    }

    @Test
    void anAlteredSignatureIsInvalid() {
        String token = at(NOW).sign(REQUEST, EXPIRY);
        for (int position : new int[] {token.indexOf('.') + 1, token.length() - 2}) {
            char c = token.charAt(position);
            String altered = token.substring(0, position) + (c == 'A' ? 'B' : 'A') + token.substring(position + 1);
            assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(altered), "changed at " + position);
        }
        assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(token.substring(0, token.length() - 1)));
    }

    @Test
    void aTokenSignedWithAnotherKeyOfTheSameIdIsInvalid() {
        String forged = new LinkTokens(new RotatingKeys(RotatingKeys.key("k1", 'z')), Clock.systemUTC())
                .sign(REQUEST, EXPIRY);
        assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(forged));
    }

    @Test
    void thePreviousKeyStillVerifiesAfterOneRotationButNotAfterTwo() {
        String signedWithK1 = at(NOW).sign(REQUEST, EXPIRY);
        keys.rotateTo(RotatingKeys.key("k2", 'b'));
        String signedWithK2 = at(NOW).sign(REQUEST, EXPIRY);
        assertTrue(signedWithK2.length() > 0 && !signedWithK2.equals(signedWithK1));
        assertEquals("k2", assertInstanceOf(LinkTokens.Valid.class, at(NOW).verify(signedWithK2)).token().keyId());
        assertEquals("k1", assertInstanceOf(LinkTokens.Valid.class, at(NOW).verify(signedWithK1)).token().keyId());
        keys.rotateTo(RotatingKeys.key("k3", 'c'));
        assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(signedWithK1));
        assertInstanceOf(LinkTokens.Valid.class, at(NOW).verify(signedWithK2));
    }

    @Test
    void garbageIsInvalidNeverAnException() {
        String tooLong = "A".repeat(LinkTokens.MAX_TOKEN_LENGTH + 1);
        for (String garbage : new String[] {null, "", ".", "..", "abc", "a.b.c", "!!!.###", tooLong,
                payload("v1." + REQUEST) + ".AAAA", payload("v2." + REQUEST + ".1.k1") + ".AAAA",
                payload("v1." + REQUEST + ".1.nokey") + ".AAAA", "%2e%2e.%2f"}) {
            assertInstanceOf(LinkTokens.Invalid.class, at(NOW).verify(garbage), String.valueOf(garbage));
        }
    }

    @Test
    void keysAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> LinkKey.ofText("k", "short"));
        assertThrows(IllegalArgumentException.class, () -> LinkKey.ofText("k.1", "x".repeat(40)));
        assertFalse(LinkKey.ofText("k", "s".repeat(40)).toString().contains("sss"), "toString hides the key");
        assertThrows(IllegalArgumentException.class, () -> at(NOW).sign("a.b", EXPIRY));
    }

    /** The signature comparison is MessageDigest.isEqual (constant time), never Arrays.equals or String.equals. */
    @Test
    void theSignatureIsComparedInConstantTime() throws Exception {
        String source = Files.readString(Path.of("src/main/java/com/warehouseexport/model/links/LinkTokens.java"));
        assertTrue(source.contains("MessageDigest.isEqual(mac(key.get(), payload), presentedMac)"), "isEqual used");
        assertFalse(source.contains("Arrays.equals"), "no early-exit array comparison");
        assertFalse(source.contains("presentedMac.equals") || source.contains("mac.equals"), "no equals on the mac");
    }

    private static String payload(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
