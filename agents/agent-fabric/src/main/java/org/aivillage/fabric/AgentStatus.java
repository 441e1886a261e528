package org.aivillage.fabric;

import java.util.List;

/**
 * What {@link AgentFabric#getAgentStatus} reports.
 *
 * @param id the agent
 * @param spec what was deployed
 * @param service the service definition it runs (resolved version)
 * @param state overall state: RUNNING when every replica runs, FAILING when any replica fails,
 *     STARTING/PENDING while replicas come up, STOPPED once undeployed
 * @param replicas every replica with its location and counters
 */
public record AgentStatus(AgentId id, AgentSpec spec, ServiceDefinition service, AgentState state,
        List<ReplicaStatus> replicas) {
    public AgentStatus {
        replicas = List.copyOf(replicas);
    }

    /** Messages handled successfully by all replicas. */
    public long processed() {
        return replicas.stream().mapToLong(ReplicaStatus::processed).sum();
    }

    /** Messages whose handler threw, over all replicas. */
    public long failed() {
        return replicas.stream().mapToLong(ReplicaStatus::failed).sum();
    }

    /** The overall state derived from replica states. */
    public static AgentState overall(List<ReplicaStatus> replicas) {
        if (replicas.isEmpty()) {
            return AgentState.PENDING;
        }
        boolean allRunning = true;
        boolean allStopped = true;
        boolean anyFailing = false;
        boolean anyStarting = false;
        for (ReplicaStatus r : replicas) {
            allRunning &= r.state() == AgentState.RUNNING;
            allStopped &= r.state() == AgentState.STOPPED;
            anyFailing |= r.state() == AgentState.FAILING;
            anyStarting |= r.state() == AgentState.STARTING || r.state() == AgentState.RUNNING;
        }
        if (allRunning) {
            return AgentState.RUNNING;
        }
        if (allStopped) {
            return AgentState.STOPPED;
        }
        if (anyFailing) {
            return AgentState.FAILING;
        }
        return anyStarting ? AgentState.STARTING : AgentState.PENDING;
    }
}
