package org.aivillage.betanet.client;

import java.util.Objects;

/**
 * A circuit request: number of mix hops (0..5; -1 means the level's default), the anonymity level,
 * the service at the gateway the circuit talks to, and optionally which gateway (route id hex prefix).
 */
public record CircuitConfig(int hops, AnonymityLevel anonymityLevel, String service, String gateway) {
    public static final int MAX_HOPS = 5;

    public CircuitConfig {
        Objects.requireNonNull(anonymityLevel, "anonymityLevel");
        Objects.requireNonNull(service, "service");
        if (hops < -1 || hops > MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 0.." + MAX_HOPS + " (or -1 for the level's default)");
        }
    }

    public CircuitConfig(int hops, AnonymityLevel anonymityLevel) {
        this(hops, anonymityLevel, "echo", null);
    }

    public static CircuitConfig of(AnonymityLevel level) {
        return new CircuitConfig(-1, level, "echo", null);
    }

    public int effectiveHops() {
        return hops < 0 ? anonymityLevel.defaultHops() : hops;
    }

    public CircuitConfig withService(String s) {
        return new CircuitConfig(hops, anonymityLevel, s, gateway);
    }
}
