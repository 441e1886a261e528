package org.aivillage.fabric;

/** Where the replicas of an agent go. Every strategy respects each node's limits and {@code maxAgents}. */
public enum PlacementStrategy {
    /** All replicas on the node that received the deploy request. */
    LOCAL,
    /** Each replica on the least loaded node that fits it (replicas may share a node). */
    BALANCED,
    /** Replicas on distinct nodes, least loaded first; fails when too few nodes fit. */
    SPREAD,
    /** Each replica on the most loaded node that still fits it, keeping other nodes free. */
    BINPACK
}
