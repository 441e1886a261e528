package org.aivillage.fabric;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aivillage.fabric.cluster.ClusterEngine;
import org.aivillage.fabric.internal.EmbeddedEngine;
import org.aivillage.fabric.internal.FabricEngine;
import org.aivillage.fabric.internal.Glob;

/**
 * Deploys, discovers and messages agents. With no {@link AgentConfig#clusterEndpoints()} it runs
 * embedded: everything in this JVM, no network. Otherwise it is one node of a Pekko cluster:
 * membership from the seed endpoints, agents placed with Cluster Sharding, the service and
 * deployment registry replicated with Distributed Data, traffic over mutual TLS.
 *
 * <pre>{@code
 * try (AgentFabric fabric = new AgentFabric(AgentConfig.embedded("node-1", 100))) {
 *     fabric.start();
 *     fabric.registerService(ServiceDefinition.of("echo", "1.0"), () -> (ctx, msg) -> msg.content());
 *     AgentId id = fabric.deployAgent(new AgentSpec("echo", "echo", 2, PlacementStrategy.BALANCED));
 *     AgentResponse r = fabric.sendMessage(new AgentMessage(id, "me", json));
 * }
 * }</pre>
 *
 * All methods are thread-safe and blocking; failures are {@link FabricException}s with a code.
 */
public final class AgentFabric implements AutoCloseable {
    private final AgentConfig config;
    private final FabricEngine engine;
    private final ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean started;
    private volatile boolean stopped;

    public AgentFabric(AgentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = config.embedded() ? new EmbeddedEngine(config) : new ClusterEngine(config);
    }

    /** Starts the node (in cluster mode: binds the transport and begins joining the seeds). */
    public synchronized void start() {
        if (stopped) {
            throw new FabricException(FabricException.Code.NOT_RUNNING, "the fabric was stopped; create a new one");
        }
        if (!started) {
            engine.start();
            started = true;
        }
    }

    public AgentConfig config() {
        return config;
    }

    public String nodeId() {
        return config.nodeId();
    }

    /** Registers the implementation of a service on this node (every node that should run it registers it). */
    public void registerService(ServiceDefinition definition, ServiceFactory factory) {
        engine.registerService(new ServiceBinding(definition, factory));
    }

    public void registerService(ServiceBinding binding) {
        engine.registerService(binding);
    }

    /**
     * Services known anywhere in the fabric whose name matches the glob ({@code *}, {@code ?};
     * with {@code @} the pattern matches {@code name@version}), sorted by name, newest version first.
     */
    public List<ServiceDefinition> discoverServices(String glob) {
        Glob compiled;
        try {
            compiled = Glob.compile(glob);
        } catch (IllegalArgumentException e) {
            throw new FabricException(FabricException.Code.INVALID_ARGUMENT, "service pattern: " + e.getMessage());
        }
        return engine.discoverServices(compiled);
    }

    /**
     * Places and starts the replicas of an agent.
     *
     * @throws FabricException SERVICE_NOT_FOUND, PLACEMENT_FAILED (admission control, naming why
     *     each node was refused), NOT_RUNNING
     */
    public AgentId deployAgent(AgentSpec spec) {
        return engine.deployAgent(Objects.requireNonNull(spec, "spec"));
    }

    /** State, replica locations and counters. @throws FabricException AGENT_NOT_FOUND */
    public AgentStatus getAgentStatus(AgentId id) {
        return engine.getAgentStatus(id);
    }

    public List<AgentId> listAgents() {
        return engine.listAgents();
    }

    /** Request/response with the configured timeout and the agent's retry policy. */
    public AgentResponse sendMessage(AgentMessage message) {
        return sendMessage(message, config.requestTimeout());
    }

    /** Request/response with the agent's retry policy; {@code timeout} covers every attempt. */
    public AgentResponse sendMessage(AgentMessage message, Duration timeout) {
        return sendMessage(message, timeout, engine.retryPolicy(message.to()));
    }

    /** Request/response with an explicit retry policy. */
    public AgentResponse sendMessage(AgentMessage message, Duration timeout, RetryPolicy policy) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new FabricException(FabricException.Code.INVALID_ARGUMENT, "timeout must be positive");
        }
        return engine.sendMessage(message, timeout, policy);
    }

    /** {@link #sendMessage(AgentMessage, Duration)} on a virtual thread. */
    public CompletableFuture<AgentResponse> sendMessageAsync(AgentMessage message, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> sendMessage(message, timeout), async);
    }

    /** Fire-and-forget: queued on one replica, no response, no retry. @throws FabricException OVERLOADED */
    public void sendOneWay(AgentMessage message) {
        engine.sendOneWay(message);
    }

    /** Stops every replica of the agent and forgets it. @throws FabricException AGENT_NOT_FOUND */
    public void undeployAgent(AgentId id) {
        engine.undeployAgent(id);
    }

    /** The nodes of the fabric (one in embedded mode) with their limits and reservations. */
    public List<NodeStatus> nodes() {
        return engine.nodes();
    }

    /** Processed, failed, rejected and queued messages of the replicas this node hosts now (for metrics). */
    long[] localTotals() {
        return engine.localHost().totals();
    }

    /** Whether this node can serve: started, and in cluster mode an Up member of the cluster. */
    public boolean ready() {
        return started && !stopped && engine.ready();
    }

    /**
     * Waits until {@link #ready()} (in cluster mode: until the node has joined), polling every 50 ms.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() - deadline > 0 || stopped) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Completes when the node has stopped: {@link #stop()}, or in cluster mode when the
     * split-brain resolver downed this node (a daemon should then exit so that it is restarted).
     */
    public CompletableFuture<Void> terminated() {
        return engine.terminated();
    }

    /** Stops every local replica and leaves the cluster. Idempotent. */
    public synchronized void stop() {
        if (!stopped) {
            stopped = true;
            engine.close();
            async.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
