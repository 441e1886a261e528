package org.aivillage.fabric;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.aivillage.config.ConfigLoader;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import org.aivillage.config.daemon.LoggingSetup;
import org.aivillage.fabric.internal.FabricApiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fabric node as a daemon: an {@link AgentFabric} with every {@link FabricServiceProvider} found
 * on the class path registered (always {@link BuiltinServices}), and the fabric API
 * ({@code [agents.fabric] api_bind}) that {@code village fabric deploy|status|send|services|undeploy}
 * talk to. {@link #run(VillageConfig)} adds the admin endpoint (/health, /ready, /metrics) and
 * orderly shutdown; it is what {@code village fabric node} runs.
 */
public final class FabricNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FabricNode.class);

    /** Exit code of {@link #run} when the cluster removed this node (a supervisor should restart it). */
    public static final int EXIT_REMOVED_FROM_CLUSTER = 3;

    private final AgentFabric fabric;
    private final FabricApiServer api;
    private final FabricApiToken token;
    private volatile boolean closing;

    private FabricNode(AgentFabric fabric, FabricApiServer api, FabricApiToken token) {
        this.fabric = fabric;
        this.api = api;
        this.token = token;
    }

    /** Starts the fabric and its API with a fresh random token held in memory ({@link #apiToken()}). */
    public static FabricNode start(AgentConfig config, InetSocketAddress apiBind) {
        return start(config, apiBind, FabricApiToken.random());
    }

    /**
     * Starts the fabric and its API, which answers only requests that present {@code token}.
     *
     * @throws UserException when the API address cannot be bound or the cluster cannot start
     */
    public static FabricNode start(AgentConfig config, InetSocketAddress apiBind, FabricApiToken token) {
        AgentFabric fabric = new AgentFabric(config);
        try {
            for (FabricServiceProvider provider : ServiceLoader.load(FabricServiceProvider.class)) {
                for (ServiceBinding b : provider.services()) {
                    fabric.registerService(b);
                }
            }
            fabric.start();
            FabricApiServer api;
            try {
                api = FabricApiServer.start(fabric, apiBind, token);
            } catch (IOException e) {
                throw new UserException("cannot serve the fabric API on " + apiBind.getHostString() + ":"
                        + apiBind.getPort() + ": " + e.getMessage());
            }
            return new FabricNode(fabric, api, token);
        } catch (RuntimeException e) {
            fabric.close();
            throw e;
        }
    }

    public AgentFabric fabric() {
        return fabric;
    }

    /** The token the API demands. */
    public FabricApiToken apiToken() {
        return token;
    }

    /** Where a node with this configuration keeps its API token: {@code api_token_file}, else under the data directory. */
    public static Path apiTokenFile(VillageConfig config) {
        return config.global().resolveDataPath(config.fabric().apiTokenFile(), FabricApiToken.DEFAULT_FILE);
    }

    /** The bound API address (real port when 0 was asked for). */
    public InetSocketAddress apiAddress() {
        return api.address();
    }

    @Override
    public void close() {
        closing = true;
        api.close();
        fabric.close();
    }

    /**
     * Runs a node until SIGTERM/SIGINT (exit code 0) or until the cluster removes it
     * ({@link #EXIT_REMOVED_FROM_CLUSTER}).
     */
    public static int run(VillageConfig config) throws InterruptedException {
        AgentConfig agentConfig = AgentConfig.fromConfig(config);
        String[] api = AgentConfig.parseEndpoint(config.fabric().apiBind());
        try (DaemonRuntime rt = DaemonRuntime.start("fabric", config)) {
            Path tokenFile = apiTokenFile(config);
            FabricApiToken token = FabricApiToken.loadOrCreate(tokenFile);
            FabricNode node = rt.register(start(agentConfig, new InetSocketAddress(api[0], Integer.parseInt(api[1])), token));
            AgentFabric fabric = node.fabric();
            rt.readiness().register("fabric", fabric::ready);
            bindMetrics(fabric, rt.metrics());
            log.atInfo().setMessage("fabric node running").addKeyValue("event", "fabric_node_running")
                    .addKeyValue("node", fabric.nodeId())
                    .addKeyValue("mode", agentConfig.embedded() ? "embedded" : "cluster")
                    .addKeyValue("api", node.apiAddress().getHostString() + ":" + node.apiAddress().getPort())
                    .addKeyValue("api_token_file", tokenFile.toString()).log();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
                try {
                    rt.awaitShutdown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, r -> Thread.ofVirtual().start(r));
            CompletableFuture.anyOf(shutdown, fabric.terminated()).join();
            if (!shutdown.isDone() && !node.closing) {
                log.atError().setMessage("this node was removed from the cluster; exiting so that it can be restarted")
                        .addKeyValue("event", "fabric_node_removed").log();
                rt.close();
                return EXIT_REMOVED_FROM_CLUSTER;
            }
            return 0;
        }
    }

    /** Gauges on the daemon's registry: ready, nodes up, replicas hosted by this node. */
    public static void bindMetrics(AgentFabric fabric, MeterRegistry registry) {
        Gauge.builder("fabric_ready", fabric, f -> f.ready() ? 1 : 0).description("1 when the node serves")
                .register(registry);
        Gauge.builder("fabric_nodes", fabric, f -> f.nodes().size()).description("fabric nodes up").register(registry);
        Gauge.builder("fabric_nodes_unreachable", fabric,
                f -> f.nodes().stream().filter(n -> !n.reachable()).count()).register(registry);
        Gauge.builder("fabric_replicas_hosted", fabric, f -> f.nodes().stream()
                .filter(n -> n.nodeId().equals(f.nodeId())).mapToInt(NodeStatus::agents).sum())
                .description("agent replicas placed on this node").register(registry);
        // Sums over the replicas hosted now (a replica that stops takes its counts along, so
        // these are gauges rather than monotonic counters).
        Gauge.builder("fabric_replica_messages_processed", fabric, f -> f.localTotals()[0]).register(registry);
        Gauge.builder("fabric_replica_messages_failed", fabric, f -> f.localTotals()[1]).register(registry);
        Gauge.builder("fabric_replica_messages_rejected", fabric, f -> f.localTotals()[2]).register(registry);
        Gauge.builder("fabric_replica_mailbox_queued", fabric, f -> f.localTotals()[3]).register(registry);
    }

    /**
     * {@code FabricNode --config FILE}: the same as {@code village fabric node}, for processes
     * started without the CLI (tests, benchmarks).
     */
    public static void main(String[] args) throws InterruptedException {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            }
        }
        VillageConfig config = ConfigLoader.load(file).config();
        LoggingSetup.configure(config.logging(), LoggingSetup.Console.STDERR);
        System.exit(run(config));
    }

}
