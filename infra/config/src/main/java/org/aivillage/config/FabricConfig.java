package org.aivillage.config;

import java.util.List;
import java.util.Optional;

/** {@code [agents.fabric]}: agent deployment and coordination. */
@Section(value = "agents.fabric", doc = "Agent fabric: deployment and coordination of agents.")
public record FabricConfig(
        @Key(doc = "Fabric node identifier; unset = global.node_id.")
        Optional<String> nodeId,

        @Key(doc = "Other fabric nodes to join, as host:port; empty = run alone (embedded).", def = "")
        @Format(Format.Kind.ENDPOINT)
        List<String> clusterEndpoints,

        @Key(doc = "Upper bound on agents hosted by this node.", def = "100")
        @Range(min = 1, max = 100_000)
        int maxAgents,

        @Key(doc = "CPU cores offered to agents (0 = all available).", def = "0")
        @Range(min = 0, max = 4096)
        int cpuCores,

        @Key(doc = "Memory offered to agents, in GB (0 = the JVM's maximum heap).", def = "0")
        @Range(min = 0, max = 65536)
        double memoryGb) {
}
