package com.warehouseexport.localruntime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
    private static final Instant T0 = Instant.parse("2026-03-14T10:17:42Z"); // a Saturday

    private static List<String> next(String expression, Instant from, int count) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression);
        List<String> times = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < count; i++) {
            t = schedule.nextAfter(t);
            times.add(String.valueOf(t));
        }
        return times;
    }

    @Test
    void rates() {
        assertEquals(new ScheduleExpression.Rate(Duration.ofMinutes(1)), ScheduleExpression.parse("rate(1 minute)"));
        assertEquals(new ScheduleExpression.Rate(Duration.ofMinutes(5)), ScheduleExpression.parse("rate(5 minutes)"));
        assertEquals(new ScheduleExpression.Rate(Duration.ofHours(1)), ScheduleExpression.parse("rate(1 hour)"));
        assertEquals(new ScheduleExpression.Rate(Duration.ofDays(2)), ScheduleExpression.parse("rate(2 days)"));
        assertEquals(T0.plusSeconds(300), ScheduleExpression.parse("rate(5 minutes)").nextAfter(T0));
        for (String invalid : List.of("rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(5 seconds)",
            "rate(five minutes)", "every 5 minutes")) {
            assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(invalid), invalid);
        }
    }

    @Test
    void everyFiveMinutesAndFixedTimes() {
        assertEquals(List.of("2026-03-14T10:20:00Z", "2026-03-14T10:25:00Z", "2026-03-14T10:30:00Z"),
            next("cron(0/5 * * * ? *)", T0, 3));
        assertEquals(List.of("2026-03-14T10:20:00Z", "2026-03-14T10:25:00Z"), next("cron(*/5 * * * ? *)", T0, 2));
        assertEquals(List.of("2026-03-15T02:00:00Z", "2026-03-16T02:00:00Z"), next("cron(0 2 * * ? *)", T0, 2));
        assertEquals(List.of("2026-03-14T10:18:00Z"), next("cron(* * * * ? *)", T0, 1));
        assertEquals(List.of("2026-03-14T12:00:00Z", "2026-03-14T18:00:00Z", "2026-03-15T00:00:00Z"),
            next("cron(0 0,6,12,18 * * ? *)", T0, 3));
    }

    @Test
    void daysOfWeekAndMonth() {
        // weekdays at 08:30: Saturday 14 March → Monday 16
        assertEquals(List.of("2026-03-16T08:30:00Z", "2026-03-17T08:30:00Z"), next("cron(30 8 ? * MON-FRI *)", T0, 2));
        assertEquals(List.of("2026-03-16T08:30:00Z"), next("cron(30 8 ? * 2-6 *)", T0, 1));
        // the first of every month, and the last day
        assertEquals(List.of("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"), next("cron(0 0 1 * ? *)", T0, 2));
        assertEquals(List.of("2026-03-31T23:00:00Z", "2026-04-30T23:00:00Z"), next("cron(0 23 L * ? *)", T0, 2));
        // last Friday (6L), second Tuesday (3#2)
        assertEquals(List.of("2026-03-27T09:00:00Z", "2026-04-24T09:00:00Z"), next("cron(0 9 ? * 6L *)", T0, 2));
        assertEquals(List.of("2026-04-14T09:00:00Z", "2026-05-12T09:00:00Z"), next("cron(0 9 ? * 3#2 *)", T0, 2));
        // weekday nearest the 15th: March 15th 2026 is a Sunday → Monday 16th; August 15th 2026 is a Saturday → 14th
        assertEquals(List.of("2026-03-16T12:00:00Z", "2026-04-15T12:00:00Z"), next("cron(0 12 15W * ? *)", T0, 2));
        assertEquals(List.of("2026-08-14T12:00:00Z"), next("cron(0 12 15W AUG ? *)", T0, 1));
        // last weekday: May 31st 2026 is a Sunday → Friday 29th
        assertEquals(List.of("2026-05-29T12:00:00Z"), next("cron(0 12 LW MAY ? *)", T0, 1));
    }

    @Test
    void monthsAndYears() {
        assertEquals(List.of("2026-12-25T06:00:00Z", "2027-12-25T06:00:00Z"), next("cron(0 6 25 DEC ? *)", T0, 2));
        assertEquals(List.of("2028-02-29T00:00:00Z"), next("cron(0 0 29 2 ? 2027-2030)", T0, 1));
        assertNull(ScheduleExpression.parse("cron(0 0 1 1 ? 2020)").nextAfter(T0), "never again");
    }

    @Test
    void invalidCronExpressions() {
        for (String invalid : List.of("cron(0 2 * * *)", "cron(0 2 * * * *)", "cron(0 2 ? * ? *)",
            "cron(60 2 * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 ? * 8 *)",
            "cron(0 0 ? * 2#6 *)", "cron(0 0 * 13 ? *)", "cron(0 0 * * ? 1969)")) {
            assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(invalid), invalid);
        }
    }
}
