package com.warehouseexport.poller;

import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestLeases;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.table.StatementSlots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The part of the scheduled sweep that recovers requests whose message never reached (or fell out of) the
 * processor (design page, "Recovery rules"):
 * <ul>
 *   <li>RECEIVED for longer than {@code receivedAfter}: the receiver died between its table write and its queue
 *       send. Moved RECEIVED → QUEUED (conditional: of two sweeps one wins) and then sent.</li>
 *   <li>QUEUED (or SUBMITTED without a statement id) for longer than {@code queuedAfter}, and not waiting for a
 *       statement slot within it: the message was lost (or the send above failed). Sent again under a
 *       {@code requeuedAt} claim, at most once per {@code queuedAfter}. A request refused a slot has its own
 *       delayed message ({@code slotWaitUntil}); re-sending for it would only add copies.</li>
 *   <li>Messages on the dead-letter queue: their requests become FAILED with the reason ({@link DeadLetters}).</li>
 *   <li>The statement-slot count is reconciled when it has been quiet ({@link StatementSlots#reconcile}).</li>
 * </ul>
 * A message sent twice is harmless: the processor does nothing for a request that is already past QUEUED.
 */
public final class StuckRequestSweep {
    public static final String RECEIVED_SWEEP_AFTER_SECONDS = "RECEIVED_SWEEP_AFTER_SECONDS";
    public static final String QUEUED_SWEEP_AFTER_SECONDS = "QUEUED_SWEEP_AFTER_SECONDS";
    public static final int DEFAULT_RECEIVED_SWEEP_AFTER_SECONDS = 60;
    /** Longer than a request may wait for a statement slot in ordinary load; a spare message is harmless anyway. */
    public static final int DEFAULT_QUEUED_SWEEP_AFTER_SECONDS = 900;
    /**
     * How long the statement-slot count must have been still before it is reconciled with the requests: longer
     * than the in-flight index takes to catch up with a move (well under a second on DynamoDB).
     */
    public static final String SLOTS_RECONCILE_AFTER_SECONDS = "SLOTS_RECONCILE_AFTER_SECONDS";
    public static final int DEFAULT_SLOTS_RECONCILE_AFTER_SECONDS = 60;
    /** Requests looked at per kind and run; the rest wait for the next run. */
    static final int LIMIT = 100;
    /** Reconciling reads the whole in-flight index; not beyond this many. */
    static final int RECONCILE_LIMIT = 2000;

    private final ControlTable table;
    private final RequestLeases leases;
    private final StatementSlots slots;
    private final ExportQueue queue;
    private final Duration receivedAfter;
    private final Duration queuedAfter;
    private final Clock clock;
    private Duration slotsQuietFor = Duration.ofSeconds(DEFAULT_SLOTS_RECONCILE_AFTER_SECONDS);
    /** {@code null}: no dead-letter queue to read (tests). */
    private final DeadLetters deadLetters;

    public StuckRequestSweep(ControlTable table, RequestLeases leases, StatementSlots slots, ExportQueue queue,
                             Duration receivedAfter, Duration queuedAfter, Clock clock) {
        this(table, leases, slots, queue, receivedAfter, queuedAfter, clock, null);
    }

    public StuckRequestSweep(ControlTable table, RequestLeases leases, StatementSlots slots, ExportQueue queue,
                             Duration receivedAfter, Duration queuedAfter, Clock clock, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.table = Objects.requireNonNull(table, "table");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.receivedAfter = Objects.requireNonNull(receivedAfter, "receivedAfter");
        this.queuedAfter = Objects.requireNonNull(queuedAfter, "queuedAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** With the thresholds of the environment (seconds, at least 1). */
    public static StuckRequestSweep fromEnv(ControlTable table, RequestLeases leases, StatementSlots slots,
                                            ExportQueue queue, Clock clock, DeadLetters deadLetters) {
        StuckRequestSweep sweep = new StuckRequestSweep(table, leases, slots, queue,
                Duration.ofSeconds(positive(RECEIVED_SWEEP_AFTER_SECONDS, DEFAULT_RECEIVED_SWEEP_AFTER_SECONDS)),
                Duration.ofSeconds(positive(QUEUED_SWEEP_AFTER_SECONDS, DEFAULT_QUEUED_SWEEP_AFTER_SECONDS)), clock,
                deadLetters);
        sweep.slotsQuietFor = Duration.ofSeconds(positive(SLOTS_RECONCILE_AFTER_SECONDS,
                DEFAULT_SLOTS_RECONCILE_AFTER_SECONDS));
        return sweep;
    }

    private static int positive(String name, int defaultValue) {
        int value = Env.getInt(name, defaultValue);
        if (value < 1) {
            throw new ConfigException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /** One pass; returns how many messages it sent. One request's failure does not stop the others. */
    public int run() {
        int sent = 0;
        Instant now = clock.instant();
        for (ExportRequest seen : table.inFlight(Set.of(RequestState.RECEIVED), now.minus(receivedAfter), LIMIT)) {
            sent += safely(seen, () -> requeueReceived(seen.requestId(), now));
        }
        for (ExportRequest seen : table.inFlightNotWaitingForSlot(Set.of(RequestState.QUEUED, RequestState.SUBMITTED),
                now.minus(queuedAfter), LIMIT)) {
            sent += safely(seen, () -> resendQueued(seen.requestId(), now));
        }
        if (deadLetters != null) {
            try {
                deadLetters.drain();
            } catch (RuntimeException e) {
                Log.warn("dead-letter queue: reading failed, the next run tries again: %s", e);
            }
        }
        try {
            long correction = slots.reconcile(table, now, slotsQuietFor, RECONCILE_LIMIT);
            if (correction != 0) {
                Log.warn("statement slots: count corrected by %d", correction);
            }
        } catch (RuntimeException e) {
            Log.warn("statement slots: reconciling failed, the next run tries again: %s", e);
        }
        return sent;
    }

    private int safely(ExportRequest seen, java.util.function.IntSupplier step) {
        try {
            return step.getAsInt();
        } catch (RuntimeException e) {
            Log.warn("request %s: re-queueing failed, the next run tries again: %s", seen.requestId(), e);
            return 0;
        }
    }

    private int requeueReceived(String requestId, Instant now) {
        Optional<ExportRequest> fresh = table.get(requestId);
        if (fresh.isEmpty() || fresh.get().state() != RequestState.RECEIVED
                || fresh.get().updatedAt().isAfter(now.minus(receivedAfter))) {
            return 0;
        }
        try {
            // The move is the claim; if the send below fails, the QUEUED rule sends it later.
            table.transition(fresh.get(), RequestState.QUEUED,
                    "queued by the sweep: still RECEIVED after " + receivedAfter.toSeconds() + " s",
                    RequestUpdate.none());
        } catch (ConflictException e) {
            return 0;
        }
        queue.send(requestId, 0);
        Log.warn("request %s: was left RECEIVED, queued it", requestId);
        return 1;
    }

    /** QUEUED, or SUBMITTED without a statement id (the processor died before ExecuteStatement answered). */
    private int resendQueued(String requestId, Instant now) {
        Optional<ExportRequest> fresh = table.get(requestId);
        if (fresh.isEmpty() || fresh.get().statementId() != null
                || (fresh.get().state() != RequestState.QUEUED && fresh.get().state() != RequestState.SUBMITTED)
                || fresh.get().updatedAt().isAfter(now.minus(queuedAfter))
                || !leases.claimRequeue(fresh.get(), now, now.minus(queuedAfter))) {
            return 0;
        }
        queue.send(requestId, 0);
        Log.warn("request %s: waiting without a statement for over %d s, sent its message again", requestId,
                queuedAfter.toSeconds());
        return 1;
    }
}
