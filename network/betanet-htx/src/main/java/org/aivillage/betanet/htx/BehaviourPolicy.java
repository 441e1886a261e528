package org.aivillage.betanet.htx;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP/2-like behaviour emulation (Betanet 1.1 §5.5): PINGs at random intervals in
 * [pingMin, pingMax] with ±pingJitter (never periodic); after a random [idleMin, idleMax] without
 * DATA, one PADDING frame of 0..paddingMax bytes; a PRIORITY-shaped frame on a fraction of
 * connections: {@code priorityRate}, or, when the origin's rate is unknown (NaN), a rate drawn
 * per connection from 0.5–3 %.
 */
public record BehaviourPolicy(boolean enabled, Duration pingMin, Duration pingMax, double pingJitter, Duration idleMin,
        Duration idleMax, int paddingMax, double priorityRate) {
    public static final BehaviourPolicy DEFAULT = new BehaviourPolicy(true, Duration.ofSeconds(10), Duration.ofSeconds(60), 0.10,
            Duration.ofMillis(200), Duration.ofMillis(1200), 3 * 1024, Double.NaN);
    public static final BehaviourPolicy DISABLED = new BehaviourPolicy(false, Duration.ofSeconds(10), Duration.ofSeconds(60), 0.10,
            Duration.ofMillis(200), Duration.ofMillis(1200), 3 * 1024, Double.NaN);

    public BehaviourPolicy {
        Objects.requireNonNull(pingMin);
        Objects.requireNonNull(pingMax);
        Objects.requireNonNull(idleMin);
        Objects.requireNonNull(idleMax);
        if (pingMin.isNegative() || pingMin.isZero() || pingMax.compareTo(pingMin) < 0) throw new IllegalArgumentException("ping range");
        if (!(pingJitter >= 0 && pingJitter < 1)) throw new IllegalArgumentException("pingJitter must be in [0,1)");
        if (idleMin.isNegative() || idleMin.isZero() || idleMax.compareTo(idleMin) < 0) throw new IllegalArgumentException("idle range");
        if (paddingMax < 0 || paddingMax > 60_000) throw new IllegalArgumentException("paddingMax must be 0..60000");
        if (!Double.isNaN(priorityRate) && !(priorityRate >= 0 && priorityRate <= 1)) throw new IllegalArgumentException("priorityRate");
    }

    public BehaviourPolicy withPing(Duration min, Duration max) {
        return new BehaviourPolicy(enabled, min, max, pingJitter, idleMin, idleMax, paddingMax, priorityRate);
    }

    public BehaviourPolicy withIdle(Duration min, Duration max) {
        return new BehaviourPolicy(enabled, pingMin, pingMax, pingJitter, min, max, paddingMax, priorityRate);
    }

    public BehaviourPolicy withPriorityRate(double rate) {
        return new BehaviourPolicy(enabled, pingMin, pingMax, pingJitter, idleMin, idleMax, paddingMax, rate);
    }
}
