package com.warehouseexport.receiver;

import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.table.ControlTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Waits a bounded time for a request to reach a final state by reading its control-table item (consistent
 * GetItem) with a growing pause: {@value #FIRST_PAUSE_MILLIS} ms, then ×1.5 up to {@value #MAX_PAUSE_MILLIS} ms.
 * The pipeline is the same as without waiting; this only watches it.
 */
public final class FinalStateWaiter {
    static final long FIRST_PAUSE_MILLIS = 100;
    static final long MAX_PAUSE_MILLIS = 500;

    /** Pauses between reads; a test passes one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final ControlTable table;
    private final Clock clock;
    private final Sleeper sleeper;

    public FinalStateWaiter(ControlTable table) {
        this(table, Clock.systemUTC(), Thread::sleep);
    }

    public FinalStateWaiter(ControlTable table, Clock clock, Sleeper sleeper) {
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The request once final, or empty when {@code maxWait} passed first (or the thread was interrupted). */
    public Optional<ExportRequest> awaitFinal(String requestId, Duration maxWait) {
        Instant deadline = clock.instant().plus(maxWait);
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                sleeper.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            Optional<ExportRequest> current = table.get(requestId);
            if (current.isPresent() && current.get().state().isFinal()) {
                return current;
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 3 / 2);
        }
    }
}
