package com.warehouseexport.localruntime.apigateway;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * A usage plan's quota for one key: at most limit requests per period (DAY, WEEK from Sunday, or calendar
 * MONTH, in UTC). offset is what API Gateway's QuotaSettings.offset means today: requests already counted in the
 * first period. Kept in memory: a restart starts the count again.
 */
public final class QuotaCounter {
    private final long limit;
    private final String period;
    private LocalDate periodStart;
    private long used;

    public QuotaCounter(long limit, String period, int offset) {
        if (!period.equals("DAY") && !period.equals("WEEK") && !period.equals("MONTH")) {
            throw new IllegalArgumentException("quota period must be DAY, WEEK or MONTH, got " + period);
        }
        this.limit = limit;
        this.period = period;
        this.used = offset;
    }

    /** Counts a request made at now, unless the period's limit is already reached. */
    public synchronized boolean tryConsume(Instant now) {
        LocalDate start = periodStart(now);
        if (periodStart == null) {
            periodStart = start;
        } else if (!start.equals(periodStart)) {
            periodStart = start;
            used = 0;
        }
        if (used >= limit) {
            return false;
        }
        used++;
        return true;
    }

    private LocalDate periodStart(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case "WEEK" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            case "MONTH" -> day.withDayOfMonth(1);
            default -> day;
        };
    }
}
