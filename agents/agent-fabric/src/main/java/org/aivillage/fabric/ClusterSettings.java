package org.aivillage.fabric;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node takes part in a cluster (used only when {@link AgentConfig#clusterEndpoints()} is not empty).
 *
 * @param bindHost address the cluster transport binds and advertises
 * @param bindPort its port (0 = any free port)
 * @param tls mutual TLS files; required (plain-text cluster traffic is not offered)
 * @param failureDetectionPause heartbeat silence after which a node counts as unreachable
 * @param downAfter how long the membership must be stable before the split-brain resolver
 *     (keep-majority) downs unreachable nodes
 */
public record ClusterSettings(String bindHost, int bindPort, TlsSettings tls, Duration failureDetectionPause,
        Duration downAfter) {
    public static final Duration DEFAULT_FAILURE_DETECTION_PAUSE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(2);

    public ClusterSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(tls, "tls");
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bindPort must be 0..65535, got " + bindPort);
        }
        if (failureDetectionPause.toMillis() < 500 || downAfter.toMillis() < 500) {
            throw new IllegalArgumentException("failure detection and down-after must be at least 500 ms");
        }
    }

    public ClusterSettings(String bindHost, int bindPort, TlsSettings tls) {
        this(bindHost, bindPort, tls, DEFAULT_FAILURE_DETECTION_PAUSE, DEFAULT_DOWN_AFTER);
    }
}
