package com.warehouseexport.model.links;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Keys read from the local Secrets Manager; rotation through AWSCURRENT / AWSPREVIOUS. */
@LocalAwsTest
class SecretsManagerLinkKeysTest {
    private static final String REQUEST = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final Duration GAP = Duration.ofSeconds(30);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private String newSecret(SecretsManagerClient secrets) {
        return secrets.createSecret(r -> r.name("links-" + UUID.randomUUID())
                .secretString("{\"key\":\"" + "a".repeat(64) + "\"}")).arn();
    }

    private static String rotate(SecretsManagerClient secrets, String arn, char fill) {
        return secrets.putSecretValue(r -> r.secretId(arn).secretString("{\"key\":\"" + String.valueOf(fill).repeat(64)
                + "\"}")).versionId();
    }

    private void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Test
    void theCurrentVersionSignsAndItsVersionIdIsTheKeyId(SecretsManagerClient secrets) {
        String arn = newSecret(secrets);
        String currentVersion = secrets.getSecretValue(r -> r.secretId(arn)).versionId();
        SecretsManagerLinkKeys keys = new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock);
        assertEquals(currentVersion, keys.signingKey().id());
        LinkTokens tokens = new LinkTokens(keys, clock);
        String token = tokens.sign(REQUEST, now.get().plusSeconds(60));
        assertInstanceOf(LinkTokens.Valid.class, tokens.verify(token));
        assertEquals(1, keys.reads(), "cached: one read for signing and verifying");
    }

    @Test
    void linksSignedBeforeARotationKeepWorkingUntilTheSecondRotation(SecretsManagerClient secrets) {
        String arn = newSecret(secrets);
        SecretsManagerLinkKeys signerKeys = new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock);
        SecretsManagerLinkKeys verifierKeys = new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock);
        LinkTokens signer = new LinkTokens(signerKeys, clock);
        verifierKeys.signingKey();
        LinkTokens verifier = new LinkTokens(verifierKeys, clock);
        Instant expiry = now.get().plus(Duration.ofDays(7));
        String beforeRotation = signer.sign(REQUEST, expiry);
        assertInstanceOf(LinkTokens.Valid.class, verifier.verify(beforeRotation));

        String secondVersion = rotate(secrets, arn, 'b');
        assertEquals(signerKeys.signingKey().id(), verifierKeys.signingKey().id(), "both still cache the first key");
        // a poller started after the rotation signs with the new key at once
        SecretsManagerLinkKeys freshKeys = new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock);
        String afterRotation = new LinkTokens(freshKeys, clock).sign(REQUEST, expiry);
        assertEquals(secondVersion, freshKeys.signingKey().id());
        assertNotEquals(beforeRotation, afterRotation);
        advance(GAP);
        // the verifier's cache is younger than REFRESH: the unknown key id makes it re-read early
        assertInstanceOf(LinkTokens.Valid.class, verifier.verify(afterRotation));
        assertEquals(2, verifierKeys.reads());
        assertInstanceOf(LinkTokens.Valid.class, verifier.verify(beforeRotation), "AWSPREVIOUS still verifies");
        advance(REFRESH);
        assertEquals(secondVersion, signerKeys.signingKey().id(), "the old signer picks up the rotation in time");

        rotate(secrets, arn, 'c');
        advance(REFRESH);
        assertInstanceOf(LinkTokens.Invalid.class, verifier.verify(beforeRotation), "two rotations ago: refused");
        assertInstanceOf(LinkTokens.Valid.class, verifier.verify(afterRotation));
    }

    @Test
    void madeUpKeyIdsCostAtMostOneReadPerGap(SecretsManagerClient secrets) {
        String arn = newSecret(secrets);
        SecretsManagerLinkKeys keys = new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock);
        keys.signingKey();
        advance(GAP);
        for (int i = 0; i < 50; i++) {
            keys.verificationKey("made-up-" + i);
        }
        assertEquals(2, keys.reads(), "one initial read, one early re-read");
    }

    @Test
    void aMissingSecretFailsAndABadValueIsExplained(SecretsManagerClient secrets) {
        SecretsManagerLinkKeys missing = new SecretsManagerLinkKeys(secrets, "no-such-" + UUID.randomUUID(), REFRESH,
                GAP, clock);
        assertThrows(RuntimeException.class, missing::signingKey);
        String arn = secrets.createSecret(r -> r.name("links-" + UUID.randomUUID()).secretString("{\"nokey\":1}"))
                .arn();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerLinkKeys(secrets, arn, REFRESH, GAP, clock).signingKey());
        assertEquals("the link secret's JSON has no string field \"key\"", e.getMessage());
    }
}
