package org.aivillage.betanet.security;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at {@code ratePerSecond}.
 * Time comes from the caller (nanoseconds on a monotonic clock) so tests control it. Thread-safe.
 */
public final class TokenBucket {
    private final double capacity;
    private final double ratePerNano;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double capacity, double ratePerSecond, long nowNanos) {
        if (!(capacity >= 1) || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("token bucket needs capacity >= 1 and a positive rate");
        }
        this.capacity = capacity;
        this.ratePerNano = ratePerSecond / 1e9;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes {@code n} tokens if available; false (and nothing taken) otherwise. */
    public synchronized boolean tryAcquire(double n, long nowNanos) {
        refill(nowNanos);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    public boolean tryAcquire(long nowNanos) {
        return tryAcquire(1, nowNanos);
    }

    /** Tokens available now (for metrics and tests). */
    public synchronized double available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    /** True when the bucket is full, i.e. its state carries no information and it may be evicted. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
            lastNanos = nowNanos;
        }
    }
}
