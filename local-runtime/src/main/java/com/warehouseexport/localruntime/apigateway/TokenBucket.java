package com.warehouseexport.localruntime.apigateway;

import java.util.function.LongSupplier;

/**
 * API Gateway's throttle: a bucket holding at most burstLimit tokens, refilled at rateLimit tokens per second;
 * each request takes one, and a request that finds the bucket empty is throttled (429). Starts full.
 */
public final class TokenBucket {
    private final double ratePerSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** nanoTime: a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own). */
    public TokenBucket(double ratePerSecond, int burstLimit, LongSupplier nanoTime) {
        if (ratePerSecond < 0 || burstLimit < 0) {
            throw new IllegalArgumentException("throttle limits must not be negative");
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = burstLimit;
        this.nanoTime = nanoTime;
        this.tokens = burstLimit;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
