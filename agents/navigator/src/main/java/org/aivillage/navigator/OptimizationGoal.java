package org.aivillage.navigator;

import java.util.Locale;

/**
 * What a search optimises. See docs/navigator.md for the exact formulas of {@link #BALANCED} and
 * {@link #LOAD_AWARE}.
 */
public enum OptimizationGoal {
    /** Smallest sum of edge latencies. */
    MINIMIZE_LATENCY,
    /** Smallest sum of edge costs. */
    MINIMIZE_COST,
    /** Largest product of edge reliabilities (searched as the smallest sum of -ln r). */
    MAXIMIZE_RELIABILITY,
    /** Widest path: largest bottleneck bandwidth; ties broken by smallest latency. */
    MAXIMIZE_BANDWIDTH,
    /** Fewest edges. */
    MINIMIZE_HOPS,
    /** Weighted sum of normalised latency, cost, -ln reliability and inverse bandwidth. */
    BALANCED,
    /** Latency plus a queueing penalty for every node entered, growing with its utilisation. */
    LOAD_AWARE;

    /** The goal named like {@code minimize_latency} or {@code MINIMIZE-LATENCY} (any case). */
    public static OptimizationGoal parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (OptimizationGoal g : values()) {
            if (g.name().equals(n)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown optimization goal '" + name + "'");
    }

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
