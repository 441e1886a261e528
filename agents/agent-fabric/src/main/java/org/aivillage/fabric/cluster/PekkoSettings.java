package org.aivillage.fabric.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.ClusterSettings;

/** The Pekko configuration of a fabric node, built from {@link AgentConfig} (no application.conf is read). */
final class PekkoSettings {
    static final String SYSTEM_NAME = "aivillage-fabric";

    private PekkoSettings() {
    }

    /** The seed nodes as Pekko addresses, in configuration order. */
    static List<String> seedUris(AgentConfig config) {
        List<String> seeds = new ArrayList<>();
        for (String endpoint : config.clusterEndpoints()) {
            String[] hp = AgentConfig.parseEndpoint(endpoint);
            String host = hp[0].indexOf(':') >= 0 ? "[" + hp[0] + "]" : hp[0];
            seeds.add("pekko://" + SYSTEM_NAME + "@" + host + ":" + hp[1]);
        }
        return seeds;
    }

    /** Seed nodes are not configured here: {@link ClusterEngine} joins them itself (see there). */
    static Config build(AgentConfig config) {
        ClusterSettings c = config.cluster().orElseThrow();
        long pauseMs = c.failureDetectionPause().toMillis();
        long downMs = c.downAfter().toMillis();
        String hocon = """
                pekko {
                  loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                  logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                  loglevel = "INFO"
                  log-dead-letters = 0
                  log-dead-letters-during-shutdown = off
                  actor {
                    provider = cluster
                    serialization-bindings {
                      "org.aivillage.fabric.cluster.ClusterMessage" = jackson-cbor
                    }
                  }
                  remote.artery {
                    transport = tls-tcp
                    ssl {
                      ssl-engine-provider = "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider"
                      rotating-keys-engine {
                        ssl-context-cache-ttl = 5m
                      }
                    }
                    advanced.outbound-message-queue-size = 16384
                  }
                  cluster {
                    roles = ["fabric"]
                    jmx.multi-mbeans-in-same-jvm = on
                    downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                    split-brain-resolver {
                      active-strategy = keep-majority
                      stable-after = %dms
                    }
                    down-removal-margin = %dms
                    failure-detector {
                      heartbeat-interval = 500ms
                      acceptable-heartbeat-pause = %dms
                      expected-response-after = 500ms
                    }
                    gossip-interval = 500ms
                    leader-actions-interval = 500ms
                    unreachable-nodes-reaper-interval = 500ms
                    periodic-tasks-initial-delay = 200ms
                    seed-node-timeout = 5s
                    retry-unsuccessful-join-after = 2s
                    shutdown-after-unsuccessful-join-seed-nodes = off
                    distributed-data {
                      gossip-interval = 500ms
                      notify-subscribers-interval = 50ms
                      durable.keys = []
                    }
                    sharding {
                      remember-entities = off
                      passivation.strategy = none
                      retry-interval = 500ms
                      rebalance-interval = 10s
                      distributed-data.durable.keys = []
                      coordinator-failure-backoff = 1s
                      waiting-for-state-timeout = 2s
                      updating-state-timeout = 2s
                    }
                  }
                  coordinated-shutdown {
                    exit-jvm = off
                    phases.cluster-sharding-shutdown-region.timeout = 5s
                    phases.actor-system-terminate.timeout = 5s
                  }
                }
                """.formatted(downMs, Math.max(500, downMs / 2), pauseMs);
        return ConfigFactory.parseString(hocon)
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(c.bindHost()))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(c.bindPort()))
                .withValue("pekko.remote.artery.ssl.rotating-keys-engine.key-file",
                        ConfigValueFactory.fromAnyRef(c.tls().keyFile().toAbsolutePath().toString()))
                .withValue("pekko.remote.artery.ssl.rotating-keys-engine.cert-file",
                        ConfigValueFactory.fromAnyRef(c.tls().certFile().toAbsolutePath().toString()))
                .withValue("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file",
                        ConfigValueFactory.fromAnyRef(c.tls().caFile().toAbsolutePath().toString()))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
