package org.aivillage.config;

/** {@code [agents.navigator]}: path and transport selection. */
@Section(value = "agents.navigator", doc = "Navigator: path and transport selection.")
public record NavigatorConfig(
        @Key(doc = "Objective when a request names none: balanced, latency, privacy, bandwidth or energy.",
                def = "balanced")
        Goal defaultGoal,

        @Key(doc = "Longest path considered, in hops.", def = "16")
        @Range(min = 1, max = 255)
        int maxHops,

        @Key(doc = "Number of alternative paths computed (k-shortest).", def = "3")
        @Range(min = 1, max = 64)
        int kPaths,

        @Key(doc = "Upper bound on the Pareto frontier kept for multi-objective routing.", def = "32")
        @Range(min = 1, max = 1024)
        int paretoFrontierMax) {

    /** What the navigator optimises. */
    public enum Goal { BALANCED, LATENCY, PRIVACY, BANDWIDTH, ENERGY }
}
