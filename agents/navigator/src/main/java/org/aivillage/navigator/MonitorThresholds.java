package org.aivillage.navigator;

/**
 * When a route monitor calls a path degraded. A link is degraded when its latency exceeds
 * {@code latencyFactor} times what it was when the path was found, its bandwidth falls below
 * {@code bandwidthFactor} times, or its reliability drops by more than {@code reliabilityDrop};
 * an intermediate node is degraded at utilisation {@code maxUtilisation} or more; the whole path
 * is degraded when its total latency exceeds {@code latencyFactor} times its original total.
 */
public record MonitorThresholds(double latencyFactor, double bandwidthFactor, double reliabilityDrop,
                                double maxUtilisation) {
    public static final MonitorThresholds DEFAULT = new MonitorThresholds(1.5, 0.5, 0.05, 0.9);

    public MonitorThresholds {
        if (!(latencyFactor >= 1) || Double.isInfinite(latencyFactor)) {
            throw new IllegalArgumentException("latencyFactor must be a finite number >= 1, got " + latencyFactor);
        }
        Checks.probability("bandwidthFactor", bandwidthFactor);
        Checks.probability("reliabilityDrop", reliabilityDrop);
        Checks.positiveFinite("maxUtilisation", maxUtilisation);
    }
}
