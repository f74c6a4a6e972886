package com.warehouseexport.model.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one text form of a time: ISO-8601 UTC with exactly three fractional digits,
 * {@code 2024-05-01T12:00:00.000Z}. Fixed width, so stored values sort as text (the GSI sort keys rely on it).
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Accepts any ISO-8601 instant (e.g. also without fraction). */
    public static Instant parse(String text) {
        return Instant.parse(text);
    }
}
