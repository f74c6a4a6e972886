package com.warehouseexport.localruntime.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket, the quota counter, access log rendering and SAM's default preflight methods. */
class ThrottleAndQuotaTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAllowsTheBurstThenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = new TokenBucket(2, 5, now::get);
        for (int i = 0; i < 5; i++) {
            assertTrue(bucket.tryTake(), "burst request " + i);
        }
        assertFalse(bucket.tryTake());
        now.addAndGet(SECOND / 4); // half a token
        assertFalse(bucket.tryTake());
        now.addAndGet(SECOND / 4); // one token
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(60 * SECOND); // never more than the burst
        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertEquals(5, taken);
    }

    @Test
    void aZeroBurstRefusesEverything() {
        TokenBucket bucket = new TokenBucket(100, 0, () -> 0L);
        assertFalse(bucket.tryTake());
    }

    @Test
    void theQuotaCountsPerUtcDayAndStartsAgainTheNextDay() {
        QuotaCounter quota = new QuotaCounter(2, "DAY", 0);
        Instant morning = Instant.parse("2026-11-21T00:00:01Z");
        assertTrue(quota.tryConsume(morning));
        assertTrue(quota.tryConsume(morning.plusSeconds(3600)));
        assertFalse(quota.tryConsume(Instant.parse("2026-11-21T23:59:59Z")));
        assertTrue(quota.tryConsume(Instant.parse("2026-11-22T00:00:00Z")));
    }

    @Test
    void weeksStartOnSundayMonthsOnTheFirstAndTheOffsetCountsInTheFirstPeriod() {
        QuotaCounter week = new QuotaCounter(1, "WEEK", 0);
        assertTrue(week.tryConsume(Instant.parse("2026-11-21T12:00:00Z"))); // a Saturday
        assertTrue(week.tryConsume(Instant.parse("2026-11-22T00:00:00Z"))); // Sunday: a new week
        assertFalse(week.tryConsume(Instant.parse("2026-11-28T23:00:00Z")));

        QuotaCounter month = new QuotaCounter(3, "MONTH", 2);
        assertTrue(month.tryConsume(Instant.parse("2026-11-05T00:00:00Z")));
        assertFalse(month.tryConsume(Instant.parse("2026-11-30T00:00:00Z")), "offset 2 + 1 used = 3");
        assertTrue(month.tryConsume(Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void accessLogLinesReplaceContextVariablesAndEscapeForJson() {
        String format = "{\"id\":\"$context.requestId\",\"agent\":\"$context.identity.userAgent\","
            + "\"key\":\"$context.identity.apiKeyId\",\"error\":$context.error.messageString}.";
        String line = AccessLogs.render(format, Map.of("requestId", "r-1", "identity.userAgent", "a \"b\" \\c",
            "error.messageString", "\"Forbidden\""));
        assertEquals("{\"id\":\"r-1\",\"agent\":\"a \\\"b\\\" \\\\c\",\"key\":\"-\",\"error\":\"Forbidden\"}.", line);
    }

    @Test
    void thePreflightsDefaultMethodsAreTheResourcesOwnSortedWithOptions() {
        assertEquals("GET,OPTIONS,POST", CorsPreflight.defaultMethods(java.util.List.of("POST", "GET")));
        assertEquals("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT", CorsPreflight.defaultMethods(java.util.List.of("ANY")));
    }
}
