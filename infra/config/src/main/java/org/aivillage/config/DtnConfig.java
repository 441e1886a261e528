package org.aivillage.config;

import java.nio.file.Path;
import java.util.Optional;

/** {@code [network.dtn]}: Bundle Protocol v7 node. */
@Section(value = "network.dtn", doc = "Delay-tolerant networking (Bundle Protocol v7).")
public record DtnConfig(
        @Key(doc = "Endpoint ID of this node, e.g. dtn://node1/; unset = derived from global.node_id.")
        Optional<String> nodeId,

        @Key(doc = "Directory of the bundle store; unset = <global.data_dir>/dtn.")
        Optional<Path> storagePath,

        @Key(doc = "Upper bound on the bundle store size, in GB.", def = "10")
        @Range(min = 0.001, max = 1_000_000)
        double maxStorageGb,

        @Key(doc = "Routing strategy: epidemic, spray_and_wait, prophet, contact_graph or static.",
                def = "epidemic")
        RoutingStrategy routingStrategy,

        @Key(doc = "Copies of each bundle handed out by spray_and_wait.", def = "6")
        @Range(min = 1, max = 1024)
        int sprayCopies,

        @Key(doc = "Discover neighbouring DTN nodes automatically.", def = "true")
        boolean contactDiscovery,

        @Key(doc = "TCP port of the TCP convergence layer v4 (RFC 9174; 0 = any free port).", def = "4556")
        @Range(min = 0, max = 65535)
        int tcpclPort) {

    /** How bundles are forwarded. */
    public enum RoutingStrategy { EPIDEMIC, SPRAY_AND_WAIT, PROPHET, CONTACT_GRAPH, STATIC }

    public long maxStorageBytes() {
        return (long) (maxStorageGb * 1_000_000_000d);
    }
}
