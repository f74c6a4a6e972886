package com.warehouseexport.processor;

import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.RequestLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request refused a statement slot comes back through one delayed message on the export queue. The claim
 * ({@link RequestLeases#claimSlotWait}) comes first: a copy of the message that arrives while another is still due
 * is dropped, so a request that waits an hour keeps one message, not one more per redelivery or sweep.
 */
final class SlotRetryMessages implements ExportSubmitter.SlotWait {
    /** Two function instances' clocks may differ: the claim falls due this much (at most half the delay) early. */
    private static final Duration CLOCK_MARGIN = Duration.ofSeconds(2);

    private final RequestLeases leases;
    private final ExportQueue queue;
    private final int retrySeconds;
    private final Clock clock;

    SlotRetryMessages(RequestLeases leases, ExportQueue queue, int retrySeconds, Clock clock) {
        if (retrySeconds < 0 || retrySeconds > ExportQueue.MAX_DELAY_SECONDS) {
            throw new IllegalArgumentException("retrySeconds must be between 0 and 900, got " + retrySeconds);
        }
        this.leases = Objects.requireNonNull(leases, "leases");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.retrySeconds = retrySeconds;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Outcome later(String requestId) {
        int delay = jittered(retrySeconds);
        Instant now = clock.instant();
        Instant until = now.plusSeconds(delay).minus(margin(delay));
        if (!leases.claimSlotWait(requestId, now, until)) {
            return Outcome.ALREADY_WAITING;
        }
        try {
            queue.send(requestId, delay);
        } catch (RuntimeException e) {
            // no message carries the claim: give it back so this delivery's retry can claim again
            try {
                leases.releaseSlotWait(requestId, until);
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);   // the claim falls due by itself at until
            }
            throw e;
        }
        return Outcome.SCHEDULED;
    }

    private static Duration margin(int delaySeconds) {
        Duration half = Duration.ofSeconds(delaySeconds).dividedBy(2);
        return half.compareTo(CLOCK_MARGIN) < 0 ? half : CLOCK_MARGIN;
    }

    /** Between the delay and 1.5 times it, so requests that waited together do not all come back together. */
    static int jittered(int seconds) {
        int spread = Math.max(1, seconds / 2);
        return Math.min(ExportQueue.MAX_DELAY_SECONDS, seconds + ThreadLocalRandom.current().nextInt(spread + 1));
    }
}
