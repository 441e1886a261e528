package org.aivillage.betanet.client;

import java.time.Duration;

/**
 * Anonymity levels: how many mix hops a circuit uses by default, the mean of the exponential per-hop
 * delay the client draws (Loopix), and the Poisson rates of the client's loop and drop cover traffic
 * while a circuit of that level is open. docs/protocols/path-selection.md has the table and reasons.
 */
public enum AnonymityLevel {
    LOW(1, Duration.ZERO, 0, 0),
    MEDIUM(2, Duration.ofMillis(10), 0.2, 0.2),
    HIGH(3, Duration.ofMillis(50), 0.5, 0.5),
    MAXIMUM(5, Duration.ofMillis(200), 1.0, 1.0);

    private final int hops;
    private final Duration meanDelay;
    private final double loopRate;
    private final double dropRate;

    AnonymityLevel(int hops, Duration meanDelay, double loopRate, double dropRate) {
        this.hops = hops;
        this.meanDelay = meanDelay;
        this.loopRate = loopRate;
        this.dropRate = dropRate;
    }

    public int defaultHops() {
        return hops;
    }

    public Duration meanDelayPerHop() {
        return meanDelay;
    }

    /** Loop cover packets per second. */
    public double loopRate() {
        return loopRate;
    }

    /** Drop cover packets per second. */
    public double dropRate() {
        return dropRate;
    }
}
