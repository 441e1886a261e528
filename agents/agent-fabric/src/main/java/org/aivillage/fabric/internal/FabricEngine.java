package org.aivillage.fabric.internal;

import java.time.Duration;
import java.util.List;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.NodeStatus;
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;

/** What {@link org.aivillage.fabric.AgentFabric} delegates to: the embedded engine or the Pekko cluster engine. */
public interface FabricEngine extends AutoCloseable {
    void start();

    void registerService(ServiceBinding binding);

    List<ServiceDefinition> discoverServices(Glob glob);

    AgentId deployAgent(AgentSpec spec);

    AgentStatus getAgentStatus(AgentId id);

    List<AgentId> listAgents();

    /** The retry policy of the agent's spec (for callers that give none). */
    RetryPolicy retryPolicy(AgentId id);

    AgentResponse sendMessage(AgentMessage message, Duration timeout, RetryPolicy policy);

    void sendOneWay(AgentMessage message);

    void undeployAgent(AgentId id);

    List<NodeStatus> nodes();

    /** The replicas hosted by this node. */
    LocalHost localHost();

    /** Whether the node can serve (embedded: started; cluster: an Up member). */
    boolean ready();

    /** Completes when the engine has stopped for any reason. */
    java.util.concurrent.CompletableFuture<Void> terminated();

    @Override
    void close();
}
