package org.aivillage.betanet.mixnode.internal;

/** A token bucket: {@code rate} tokens per second, at most {@code burst} stored. Thread-safe. */
public final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, double burst) {
        this.rate = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
