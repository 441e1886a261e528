package org.aivillage.dtn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of a {@link DtnNode}: the seed's {@code NodeConfig{node_id, storage_path,
 * max_storage_gb, routing_strategy, contact_discovery}} plus the listener ports, static peers,
 * TCPCL options, store durability and BPSec keys. Build with {@link #builder}.
 *
 * @param tcpclPort TCPCLv4 listen port: 0 picks a free port, -1 listens nowhere (outgoing only)
 * @param udpPort UDP convergence layer port: 0 picks a free port, -1 disables it
 * @param peers TCPCL neighbours ({@code host:port}) kept connected, reconnected when they drop
 * @param fsyncEveryCommit SQLite synchronous=FULL (true) or NORMAL (false); see the bundle store
 * @param discoveryGroup IPND-style beacon multicast group and port, e.g. {@code 224.0.0.108:4551}
 * @param discoveryInterface network interface name for beacons (null: the system default)
 */
public record NodeConfig(
        EndpointId nodeId,
        Path storagePath,
        long maxStorageBytes,
        RoutingConfig routing,
        boolean contactDiscovery,
        String bindAddress,
        int tcpclPort,
        int udpPort,
        List<String> peers,
        TcpclOptions tcpcl,
        boolean fsyncEveryCommit,
        BpsecConfig security,
        String discoveryGroup,
        String discoveryInterface,
        Duration discoveryInterval,
        Duration defaultLifetime) {

    public NodeConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(storagePath, "storagePath");
        nodeId = nodeId.node();
        peers = List.copyOf(peers);
        if (maxStorageBytes <= 0) {
            throw new IllegalArgumentException("max storage must be positive");
        }
    }

    /**
     * The node configuration from the unified TOML file's {@code [network.dtn]} section: node_id
     * (unset: {@code dtn://<global.node_id or host name>/}), storage_path (resolved by
     * {@link org.aivillage.config.VillageConfig#dtnStoragePath()}), max_storage_gb, routing_strategy,
     * spray_copies, contact_discovery and tcpcl_port. Everything else keeps its default; adjust
     * with {@link #toBuilder()}.
     */
    public static NodeConfig from(org.aivillage.config.VillageConfig village) {
        org.aivillage.config.DtnConfig d = village.dtn();
        String id = d.nodeId().orElseGet(() -> "dtn://" + village.global().nodeId().orElseGet(NodeConfig::hostName) + "/");
        RoutingConfig routing = switch (d.routingStrategy()) {
            case EPIDEMIC -> new RoutingConfig.Epidemic();
            case SPRAY_AND_WAIT -> new RoutingConfig.SprayAndWait(d.sprayCopies());
            case PROPHET -> new RoutingConfig.Prophet(org.aivillage.dtn.routing.ProphetRouting.Parameters.rfc6693());
            case CONTACT_GRAPH -> new RoutingConfig.ContactGraph(List.of());
            case STATIC -> new RoutingConfig.Static(java.util.Map.of());
        };
        return builder(EndpointId.parse(id), village.dtnStoragePath()).maxStorageBytes(d.maxStorageBytes())
                .routing(routing).contactDiscovery(d.contactDiscovery()).tcpclPort(d.tcpclPort()).build();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** The seed's constructor: node id, storage path, max storage in GB, routing, contact discovery. */
    public static NodeConfig of(String nodeId, Path storagePath, double maxStorageGb, RoutingConfig routing,
            boolean contactDiscovery) {
        return builder(EndpointId.parse(nodeId), storagePath).maxStorageBytes((long) (maxStorageGb * (1L << 30)))
                .routing(routing).contactDiscovery(contactDiscovery).build();
    }

    public static Builder builder(EndpointId nodeId, Path storagePath) {
        return new Builder(nodeId, storagePath);
    }

    public Builder toBuilder() {
        Builder b = new Builder(nodeId, storagePath);
        b.maxStorageBytes = maxStorageBytes;
        b.routing = routing;
        b.contactDiscovery = contactDiscovery;
        b.bindAddress = bindAddress;
        b.tcpclPort = tcpclPort;
        b.udpPort = udpPort;
        b.peers = peers;
        b.tcpcl = tcpcl;
        b.fsyncEveryCommit = fsyncEveryCommit;
        b.security = security;
        b.discoveryGroup = discoveryGroup;
        b.discoveryInterface = discoveryInterface;
        b.discoveryInterval = discoveryInterval;
        b.defaultLifetime = defaultLifetime;
        return b;
    }

    public static final class Builder {
        private EndpointId nodeId;
        private Path storagePath;
        private long maxStorageBytes = 1L << 30;
        private RoutingConfig routing = new RoutingConfig.Epidemic();
        private boolean contactDiscovery;
        private String bindAddress = "127.0.0.1";
        private int tcpclPort = TcpclConvergenceLayer.DEFAULT_PORT;
        private int udpPort = -1;
        private List<String> peers = List.of();
        private TcpclOptions tcpcl = TcpclOptions.defaults();
        private boolean fsyncEveryCommit = true;
        private BpsecConfig security = BpsecConfig.NONE;
        private String discoveryGroup = "224.0.0.108:4551";
        private String discoveryInterface;
        private Duration discoveryInterval = Duration.ofSeconds(2);
        private Duration defaultLifetime = Duration.ofHours(24);

        private Builder(EndpointId nodeId, Path storagePath) {
            this.nodeId = nodeId;
            this.storagePath = storagePath;
        }

        public Builder nodeId(EndpointId v) {
            nodeId = v;
            return this;
        }

        public Builder storagePath(Path v) {
            storagePath = v;
            return this;
        }

        public Builder maxStorageBytes(long v) {
            maxStorageBytes = v;
            return this;
        }

        public Builder routing(RoutingConfig v) {
            routing = v;
            return this;
        }

        public Builder contactDiscovery(boolean v) {
            contactDiscovery = v;
            return this;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder tcpclPort(int v) {
            tcpclPort = v;
            return this;
        }

        public Builder udpPort(int v) {
            udpPort = v;
            return this;
        }

        public Builder peers(List<String> v) {
            peers = v;
            return this;
        }

        public Builder tcpcl(TcpclOptions v) {
            tcpcl = v;
            return this;
        }

        public Builder fsyncEveryCommit(boolean v) {
            fsyncEveryCommit = v;
            return this;
        }

        public Builder security(BpsecConfig v) {
            security = v;
            return this;
        }

        public Builder discoveryGroup(String v) {
            discoveryGroup = v;
            return this;
        }

        public Builder discoveryInterface(String v) {
            discoveryInterface = v;
            return this;
        }

        public Builder discoveryInterval(Duration v) {
            discoveryInterval = v;
            return this;
        }

        public Builder defaultLifetime(Duration v) {
            defaultLifetime = v;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(nodeId, storagePath, maxStorageBytes, routing, contactDiscovery, bindAddress,
                    tcpclPort, udpPort, peers, tcpcl, fsyncEveryCommit, security, discoveryGroup, discoveryInterface,
                    discoveryInterval, defaultLifetime);
        }
    }
}
