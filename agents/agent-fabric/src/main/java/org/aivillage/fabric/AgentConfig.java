package org.aivillage.fabric;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aivillage.config.FabricConfig;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;

/**
 * Configuration of one fabric node.
 *
 * @param nodeId this node's id (unique in the cluster)
 * @param clusterEndpoints seed nodes ({@code host:port}); empty = embedded mode (one JVM, no network)
 * @param maxAgents upper bound on replicas this node hosts
 * @param resourceLimits what this node offers to agents
 * @param cluster cluster transport settings; required when {@code clusterEndpoints} is not empty
 * @param requestTimeout default timeout of {@link AgentFabric#sendMessage(AgentMessage)}
 * @param mailboxCapacity bound of each replica's mailbox
 */
public record AgentConfig(String nodeId, List<String> clusterEndpoints, int maxAgents, ResourceLimits resourceLimits,
        Optional<ClusterSettings> cluster, Duration requestTimeout, int mailboxCapacity) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAILBOX_CAPACITY = 1024;

    public AgentConfig {
        ServiceDefinition.requireName("node id", nodeId);
        clusterEndpoints = List.copyOf(clusterEndpoints);
        for (String e : clusterEndpoints) {
            parseEndpoint(e);
        }
        if (maxAgents < 1) {
            throw new IllegalArgumentException("maxAgents must be >= 1, got " + maxAgents);
        }
        Objects.requireNonNull(resourceLimits, "resourceLimits");
        Objects.requireNonNull(cluster, "cluster");
        if (!clusterEndpoints.isEmpty() && cluster.isEmpty()) {
            throw new IllegalArgumentException("cluster mode (clusterEndpoints set) needs cluster settings with TLS files");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if (mailboxCapacity < 1) {
            throw new IllegalArgumentException("mailboxCapacity must be >= 1, got " + mailboxCapacity);
        }
    }

    /** The seed's four fields; embedded when {@code clusterEndpoints} is empty. */
    public AgentConfig(String nodeId, List<String> clusterEndpoints, int maxAgents, ResourceLimits resourceLimits) {
        this(nodeId, clusterEndpoints, maxAgents, resourceLimits, Optional.empty(), DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAILBOX_CAPACITY);
    }

    /** An embedded node with this JVM's processors and heap. */
    public static AgentConfig embedded(String nodeId, int maxAgents) {
        return new AgentConfig(nodeId, List.of(), maxAgents, ResourceLimits.ofThisJvm());
    }

    /** A cluster node. */
    public static AgentConfig cluster(String nodeId, List<String> seeds, int maxAgents, ResourceLimits limits,
            ClusterSettings cluster) {
        return new AgentConfig(nodeId, seeds, maxAgents, limits, Optional.of(cluster), DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAILBOX_CAPACITY);
    }

    public boolean embedded() {
        return clusterEndpoints.isEmpty();
    }

    public AgentConfig withRequestTimeout(Duration timeout) {
        return new AgentConfig(nodeId, clusterEndpoints, maxAgents, resourceLimits, cluster, timeout, mailboxCapacity);
    }

    public AgentConfig withMailboxCapacity(int capacity) {
        return new AgentConfig(nodeId, clusterEndpoints, maxAgents, resourceLimits, cluster, requestTimeout, capacity);
    }

    /**
     * From the {@code [agents.fabric]} section ({@code node_id} falls back to {@code global.node_id},
     * then to {@code fabric-<host>}; {@code cpu_cores = 0} and {@code memory_gb = 0} mean this JVM's
     * processors and heap; relative TLS paths are taken as they are, relative to the working directory).
     *
     * @throws UserException when cluster mode lacks TLS files
     */
    public static AgentConfig fromConfig(VillageConfig config) {
        FabricConfig f = config.fabric();
        String nodeId = f.nodeId().or(() -> config.global().nodeId()).orElseGet(AgentConfig::defaultNodeId);
        ResourceLimits jvm = ResourceLimits.ofThisJvm();
        ResourceLimits limits = new ResourceLimits(f.cpuCores() == 0 ? jvm.cpuCores() : f.cpuCores(),
                f.memoryGb() == 0 ? jvm.memoryGb() : f.memoryGb());
        Optional<ClusterSettings> cluster = Optional.empty();
        if (!f.clusterEndpoints().isEmpty()) {
            if (f.tlsCertFile().isEmpty() || f.tlsKeyFile().isEmpty() || f.tlsCaFile().isEmpty()) {
                throw new UserException("agents.fabric: cluster mode (cluster_endpoints set) needs tls_cert_file, "
                        + "tls_key_file and tls_ca_file; see docs/agent-fabric.md#tls");
            }
            String[] bind = parseEndpoint(f.clusterBind());
            cluster = Optional.of(new ClusterSettings(bind[0], Integer.parseInt(bind[1]),
                    new TlsSettings(f.tlsCertFile().get(), f.tlsKeyFile().get(), f.tlsCaFile().get())));
        }
        return new AgentConfig(nodeId, f.clusterEndpoints(), f.maxAgents(), limits, cluster,
                Duration.ofMillis(f.requestTimeoutMs()), f.mailboxCapacity());
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return ("fabric-" + cleaned).substring(0, Math.min(64, 7 + cleaned.length()));
    }

    /** Splits {@code host:port} or {@code [v6]:port}; throws IllegalArgumentException. */
    public static String[] parseEndpoint(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, got \"" + endpoint + "\"");
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint port must be a number, got \"" + endpoint + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint port must be 0..65535, got \"" + endpoint + "\"");
        }
        return new String[] {host, Integer.toString(port)};
    }

}
