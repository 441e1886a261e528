package org.aivillage.fabric;

import java.util.List;

/**
 * One fabric node.
 *
 * @param nodeId the node's configured id
 * @param address cluster address {@code host:port} ({@code local} in embedded mode)
 * @param reachable false while the failure detector considers the node unreachable
 * @param limits what the node offers
 * @param maxAgents upper bound on replicas it hosts
 * @param agents replicas placed on it now
 * @param cpuReserved CPU cores reserved by those replicas
 * @param memoryReservedMb memory reserved by those replicas
 * @param services services ({@code name@version}) the node can run
 */
public record NodeStatus(String nodeId, String address, boolean reachable, ResourceLimits limits, int maxAgents,
        int agents, double cpuReserved, long memoryReservedMb, List<String> services) {
    public NodeStatus {
        services = List.copyOf(services);
    }
}
