package org.aivillage.config;

import java.nio.file.Path;
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
        double memoryGb,

        @Key(doc = "Cluster transport address (host:port) this node binds and advertises; used only with cluster_endpoints.",
                def = "127.0.0.1:25520")
        @Format(Format.Kind.ENDPOINT)
        String clusterBind,

        @Key(doc = "Fabric API endpoint (host:port) that `village fabric` commands talk to; every request must carry the token of api_token_file.",
                def = "127.0.0.1:9190")
        @Format(Format.Kind.ENDPOINT)
        String apiBind,

        @Key(doc = "File holding the fabric API's bearer token (owner-only permissions); unset = <global.data_dir>/fabric-api.token."
                + " The node creates it with a random token at its first start; `village fabric` commands read it.")
        Optional<Path> apiTokenFile,

        @Key(doc = "PEM certificate of this node for cluster TLS (RSA key, signed by tls_ca_file); required in cluster mode.")
        Optional<Path> tlsCertFile,

        @Key(doc = "PEM private key (PKCS#1 or unencrypted PKCS#8, RSA) matching tls_cert_file.")
        Optional<Path> tlsKeyFile,

        @Key(doc = "PEM certificate of the CA that signs every node's certificate.")
        Optional<Path> tlsCaFile,

        @Key(doc = "Default timeout of a request to an agent, in milliseconds (all retries included).", def = "5000")
        @Range(min = 1, max = 3_600_000)
        int requestTimeoutMs,

        @Key(doc = "Messages an agent replica may have waiting before senders get OVERLOADED.", def = "1024")
        @Range(min = 1, max = 1_000_000)
        int mailboxCapacity) {
}
