package org.aivillage.navigator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Limits a path must respect; all of them hold at once.
 *
 * @param maxLatencyMs     sum of edge latencies must be &lt;= this ({@code +Infinity}: no limit)
 * @param minBandwidthMbps every edge must offer at least this much (0: no limit)
 * @param minReliability   product of edge reliabilities must be &gt;= this (0: no limit)
 * @param maxHops          number of edges must be &lt;= this ({@link Integer#MAX_VALUE}: no limit)
 */
public record PathConstraints(double maxLatencyMs, double minBandwidthMbps, double minReliability, int maxHops) {

    /** No constraint at all. */
    public static final PathConstraints NONE =
            new PathConstraints(Double.POSITIVE_INFINITY, 0, 0, Integer.MAX_VALUE);

    public PathConstraints {
        if (Double.isNaN(maxLatencyMs) || maxLatencyMs < 0) {
            throw new IllegalArgumentException("maxLatencyMs must be >= 0 (or +Infinity), got " + maxLatencyMs);
        }
        Checks.nonNegativeFinite("minBandwidthMbps", minBandwidthMbps);
        Checks.probability("minReliability", minReliability);
        if (maxHops < 0) {
            throw new IllegalArgumentException("maxHops must be >= 0, got " + maxHops);
        }
    }

    public PathConstraints withMaxLatency(double ms) {
        return new PathConstraints(ms, minBandwidthMbps, minReliability, maxHops);
    }

    public PathConstraints withMinBandwidth(double mbps) {
        return new PathConstraints(maxLatencyMs, mbps, minReliability, maxHops);
    }

    public PathConstraints withMinReliability(double r) {
        return new PathConstraints(maxLatencyMs, minBandwidthMbps, r, maxHops);
    }

    public PathConstraints withMaxHops(int hops) {
        return new PathConstraints(maxLatencyMs, minBandwidthMbps, minReliability, hops);
    }

    public boolean limitsLatency() {
        return maxLatencyMs != Double.POSITIVE_INFINITY;
    }

    public boolean limitsBandwidth() {
        return minBandwidthMbps > 0;
    }

    public boolean limitsReliability() {
        return minReliability > 0;
    }

    public boolean limitsHops() {
        return maxHops != Integer.MAX_VALUE;
    }

    /** The constraints that {@code path} violates (empty when it satisfies all of them). */
    public Set<Constraint> violatedBy(Path path) {
        EnumSet<Constraint> v = EnumSet.noneOf(Constraint.class);
        if (path.totalLatency() > maxLatencyMs) {
            v.add(Constraint.MAX_LATENCY);
        }
        if (path.bottleneckBandwidth() < minBandwidthMbps) {
            v.add(Constraint.MIN_BANDWIDTH);
        }
        if (path.reliability() < minReliability) {
            v.add(Constraint.MIN_RELIABILITY);
        }
        if (path.hops() > maxHops) {
            v.add(Constraint.MAX_HOPS);
        }
        return v;
    }

    public boolean isSatisfiedBy(Path path) {
        return violatedBy(path).isEmpty();
    }
}
