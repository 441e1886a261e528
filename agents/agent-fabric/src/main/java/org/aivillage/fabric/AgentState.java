package org.aivillage.fabric;

/** Lifecycle of an agent and of each of its replicas. */
public enum AgentState {
    /** Accepted, not yet placed or not yet started. */
    PENDING,
    /** Placed; the handler's {@code onStart} is running. */
    STARTING,
    /** Taking messages. */
    RUNNING,
    /** Start failed and is being retried, or the hosting node was lost and the replica is being re-placed. */
    FAILING,
    /** Undeployed (or the fabric stopped). */
    STOPPED
}
