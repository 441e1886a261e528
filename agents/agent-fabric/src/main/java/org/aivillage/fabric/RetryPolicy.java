package org.aivillage.fabric;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AgentFabric#sendMessage} retries a request. A request is retried, on another replica
 * when there is one, after a failure that left the handler unrun or whose outcome is unknown:
 * {@link FabricException.Code#UNAVAILABLE} (replica stopped, node lost) and
 * {@link FabricException.Code#OVERLOADED} (mailbox full); {@link FabricException.Code#TIMEOUT} of
 * an attempt only when {@code retryOnTimeout} (the handler may have run: use it for idempotent
 * services). Handler errors are never retried. All attempts share the request's one timeout.
 *
 * @param maxAttempts attempts in total, 1..16 (1 = no retry)
 * @param initialBackoff wait before the first retry; doubled per retry up to {@code maxBackoff}
 * @param maxBackoff upper bound of the wait between attempts
 * @param retryOnTimeout whether an attempt that timed out is retried
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean retryOnTimeout) {
    /** Three attempts, 5 ms doubling to 500 ms, timeouts not retried. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(500), false);
    /** One attempt. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, false);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 16) {
            throw new IllegalArgumentException("maxAttempts must be 1..16, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
    }

    /** The wait before attempt {@code attempt} (2 = first retry). */
    public Duration backoffBefore(int attempt) {
        if (attempt <= 1 || initialBackoff.isZero()) {
            return Duration.ZERO;
        }
        long nanos = initialBackoff.toNanos();
        for (int i = 2; i < attempt && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }
}
