package com.warehouseexport.poller;

import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The poller's knobs. Leases: the PACKAGING one must outlast the longest run of the function (timeout 900 s),
 * or a live packager could be taken over; the notification one only has to outlast one SES call.
 */
public record PollerSettings(
        String sourceEmail,
        List<String> targetEmails,
        Duration linkExpiry,
        Duration packagingLease,
        Duration notificationLease,
        int sweepLimit,
        Duration stopSweepingWhenLeft) {

    public static final Duration DEFAULT_PACKAGING_LEASE = Duration.ofMinutes(16);
    public static final Duration DEFAULT_NOTIFICATION_LEASE = Duration.ofMinutes(5);
    /** Requests examined per scheduled run at most; the rest wait for the next run. */
    public static final int DEFAULT_SWEEP_LIMIT = 100;
    public static final Duration DEFAULT_STOP_SWEEPING_WHEN_LEFT = Duration.ofSeconds(60);

    public PollerSettings {
        Objects.requireNonNull(sourceEmail, "sourceEmail");
        targetEmails = List.copyOf(targetEmails);
        if (targetEmails.isEmpty()) {
            throw new IllegalArgumentException("at least one target email is needed");
        }
        Objects.requireNonNull(linkExpiry, "linkExpiry");
        Objects.requireNonNull(packagingLease, "packagingLease");
        Objects.requireNonNull(notificationLease, "notificationLease");
        Objects.requireNonNull(stopSweepingWhenLeft, "stopSweepingWhenLeft");
        if (sweepLimit < 1) {
            throw new IllegalArgumentException("sweepLimit must be at least 1");
        }
    }

    /** Optional overrides (seconds): only worth changing to make recovery quick in tests (chaos suite). */
    public static final String PACKAGING_LEASE_SECONDS = "PACKAGING_LEASE_SECONDS";
    public static final String NOTIFICATION_LEASE_SECONDS = "NOTIFICATION_LEASE_SECONDS";

    public static PollerSettings from(AppConfig config) {
        return new PollerSettings(config.sourceEmail(), config.targetEmails(),
                Duration.ofSeconds(config.linkExpirySeconds()),
                leaseFromEnv(PACKAGING_LEASE_SECONDS, DEFAULT_PACKAGING_LEASE),
                leaseFromEnv(NOTIFICATION_LEASE_SECONDS, DEFAULT_NOTIFICATION_LEASE),
                DEFAULT_SWEEP_LIMIT, DEFAULT_STOP_SWEEPING_WHEN_LEFT);
    }

    private static Duration leaseFromEnv(String name, Duration defaultValue) {
        int seconds = Env.getInt(name, (int) defaultValue.toSeconds());
        if (seconds < 1) {
            throw new ConfigException(name + " must be at least 1, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    public PollerSettings withPackagingLease(Duration lease) {
        return new PollerSettings(sourceEmail, targetEmails, linkExpiry, lease, notificationLease, sweepLimit,
                stopSweepingWhenLeft);
    }

    public PollerSettings withNotificationLease(Duration lease) {
        return new PollerSettings(sourceEmail, targetEmails, linkExpiry, packagingLease, lease, sweepLimit,
                stopSweepingWhenLeft);
    }
}
