package com.warehouseexport.model.links;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.lambda.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Link keys kept in one Secrets Manager secret, rotated with its version stages: the {@code AWSCURRENT} version
 * signs, {@code AWSPREVIOUS} still verifies (so links signed before a rotation keep working until they expire),
 * older versions are refused. A key's id is its secret version id.
 *
 * <p>A version's value is {@code {"key":"<at least 32 characters>"}} (what {@code GenerateSecretString} with
 * {@code GenerateStringKey: key} creates) or the bare key text. Rotate by putting a new value:
 * {@code aws secretsmanager put-secret-value --secret-id <arn> --secret-string '{"key":"…"}'}.
 *
 * <p>Both versions are cached in the JVM and read again after {@code refreshAfter}; a token naming a key the
 * cache does not know triggers an early re-read, at most once per {@code minRefreshGap} (a rotation is seen at
 * once, a flood of made-up key ids costs one call per gap). When a re-read fails the cached keys stay in use.
 */
public final class SecretsManagerLinkKeys implements LinkKeys {
    public static final Duration DEFAULT_REFRESH_AFTER = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MIN_REFRESH_GAP = Duration.ofSeconds(30);
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private final SecretsManagerClient secrets;
    private final String secretId;
    private final Duration refreshAfter;
    private final Duration minRefreshGap;
    private final Clock clock;

    private LinkKey current;        // guarded by this
    private LinkKey previous;       // guarded by this; null before the first rotation
    private Instant fetchedAt;      // guarded by this; null before the first read
    private int reads;              // guarded by this

    public SecretsManagerLinkKeys(SecretsManagerClient secrets, String secretId, Duration refreshAfter,
                                  Duration minRefreshGap, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.refreshAfter = Objects.requireNonNull(refreshAfter, "refreshAfter");
        this.minRefreshGap = Objects.requireNonNull(minRefreshGap, "minRefreshGap");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SecretsManagerLinkKeys(SecretsManagerClient secrets, String secretId) {
        this(secrets, secretId, DEFAULT_REFRESH_AFTER, DEFAULT_MIN_REFRESH_GAP, Clock.systemUTC());
    }

    @Override
    public synchronized LinkKey signingKey() {
        refreshIfOlderThan(refreshAfter);
        return current;
    }

    @Override
    public synchronized Optional<LinkKey> verificationKey(String keyId) {
        refreshIfOlderThan(refreshAfter);
        Optional<LinkKey> known = known(keyId);
        if (known.isEmpty() && refreshIfOlderThan(minRefreshGap)) {
            known = known(keyId);
        }
        return known;
    }

    /** How many times the secret was read (each read is one or two GetSecretValue calls); for tests. */
    public synchronized int reads() {
        return reads;
    }

    private Optional<LinkKey> known(String keyId) {
        if (current != null && current.id().equals(keyId)) {
            return Optional.of(current);
        }
        if (previous != null && previous.id().equals(keyId)) {
            return Optional.of(previous);
        }
        return Optional.empty();
    }

    /** Re-reads when the cache is older than {@code age}; true if it did. */
    private boolean refreshIfOlderThan(Duration age) {
        Instant now = clock.instant();
        if (fetchedAt != null && now.isBefore(fetchedAt.plus(age))) {
            return false;
        }
        try {
            LinkKey newCurrent = read(CURRENT).orElseThrow(() -> new IllegalStateException(
                    "secret " + secretId + " has no " + CURRENT + " version"));
            LinkKey newPrevious = read(PREVIOUS).orElse(null);
            current = newCurrent;
            previous = newPrevious;
        } catch (RuntimeException e) {
            if (current == null) {
                throw e;
            }
            Log.warn("link keys: re-reading secret %s failed, keeping the cached keys: %s", secretId, e);
        }
        fetchedAt = now;
        reads++;
        return true;
    }

    private Optional<LinkKey> read(String stage) {
        GetSecretValueResponse response;
        try {
            response = secrets.getSecretValue(r -> r.secretId(secretId).versionStage(stage));
        } catch (ResourceNotFoundException e) {
            if (PREVIOUS.equals(stage)) {
                return Optional.empty();   // never rotated
            }
            throw e;
        }
        return Optional.of(LinkKey.ofText(response.versionId(), keyText(response.secretString())));
    }

    static String keyText(String secretString) {
        if (secretString == null) {
            throw new IllegalStateException("the link secret must be a string secret");
        }
        String trimmed = secretString.trim();
        if (trimmed.startsWith("{")) {
            JsonNode key = Json.parse(trimmed).path("key");
            if (!key.isTextual()) {
                throw new IllegalStateException("the link secret's JSON has no string field \"key\"");
            }
            return key.textValue();
        }
        return secretString;
    }
}
