package org.aivillage.betanet.pow;

import java.time.Clock;
import java.time.Duration;

/**
 * Adaptive proof-of-work difficulty for bootstrap responders (Betanet 1.1 §6.3: at least 22 bits,
 * adaptive). Requests are counted per window; when a window saw more than {@code targetPerWindow}
 * requests the difficulty rises by one bit per doubling of the excess, and it falls back one bit per
 * quiet window, never below the floor nor above the ceiling. Thread-safe.
 */
public final class AdaptiveDifficulty {
    private final int floorBits;
    private final int ceilingBits;
    private final long targetPerWindow;
    private final long windowNanos;
    private final Clock clock;

    private int bits;
    private long windowStartNanos;
    private long count;

    public AdaptiveDifficulty(int floorBits, int ceilingBits, long targetPerWindow, Duration window, Clock clock) {
        if (floorBits < 0 || ceilingBits > ProofOfWork.MAX_BITS || floorBits > ceilingBits) {
            throw new IllegalArgumentException("difficulty bounds must satisfy 0 <= floor <= ceiling <= 64");
        }
        if (targetPerWindow < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("target per window and window must be positive");
        }
        this.floorBits = floorBits;
        this.ceilingBits = ceilingBits;
        this.targetPerWindow = targetPerWindow;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.bits = floorBits;
        this.windowStartNanos = nanos();
    }

    /** Betanet defaults: floor 22 bits, ceiling 30, 100 requests per 10-second window. */
    public static AdaptiveDifficulty betanetDefault() {
        return new AdaptiveDifficulty(ProofOfWork.BOOTSTRAP_MIN_BITS, 30, 100, Duration.ofSeconds(10), Clock.systemUTC());
    }

    private long nanos() {
        Duration d = Duration.between(java.time.Instant.EPOCH, clock.instant());
        return d.toNanos();
    }

    /** Records one request and returns the difficulty to demand from it. */
    public synchronized int onRequest() {
        roll();
        count++;
        return bits;
    }

    /** The difficulty currently demanded. */
    public synchronized int currentBits() {
        roll();
        return bits;
    }

    private void roll() {
        long now = nanos();
        while (now - windowStartNanos >= windowNanos) {
            if (count > targetPerWindow) {
                int raise = 64 - Long.numberOfLeadingZeros(count / targetPerWindow); // ~log2(excess)+1
                bits = Math.min(ceilingBits, bits + Math.max(1, raise - 1));
            } else {
                bits = Math.max(floorBits, bits - 1);
            }
            count = 0;
            windowStartNanos += windowNanos;
            if (now - windowStartNanos >= 64 * windowNanos) { // long idle: jump ahead
                windowStartNanos = now;
                bits = floorBits;
            }
        }
    }
}
