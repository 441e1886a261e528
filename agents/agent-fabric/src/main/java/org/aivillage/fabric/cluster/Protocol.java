package org.aivillage.fabric.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.ResourceRequirements;
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceDefinition;
import org.apache.pekko.actor.typed.ActorRef;

/** The cluster protocol: what replica entities accept and answer, and what the replicated registry holds. */
public final class Protocol {
    private Protocol() {
    }

    /** A service definition on the wire. */
    public record ServiceDto(String name, String version, List<String> endpoints, double cpuCores, long memoryMb)
            implements ClusterMessage {
        public static ServiceDto of(ServiceDefinition d) {
            return new ServiceDto(d.name(), d.version(), d.endpoints(), d.resourceRequirements().cpuCores(),
                    d.resourceRequirements().memoryMb());
        }

        public ServiceDefinition toDefinition() {
            return new ServiceDefinition(name, version, endpoints == null ? List.of() : endpoints,
                    new ResourceRequirements(cpuCores, memoryMb));
        }
    }

    /** One deployed agent, replicated to every node. {@code placement}: node address per replica at deploy time. */
    public record DeploymentRecord(String agentId, String name, String service, int replicas, String strategy,
            int maxAttempts, long initialBackoffMs, long maxBackoffMs, boolean retryOnTimeout, ServiceDto definition,
            List<String> placement, long createdMillis) implements ClusterMessage {
        public static DeploymentRecord of(AgentId id, AgentSpec spec, ServiceDefinition def, List<String> placement) {
            RetryPolicy p = spec.retryPolicy();
            return new DeploymentRecord(id.value(), spec.name(), spec.service(), spec.replicas(),
                    spec.placementStrategy().name(), p.maxAttempts(), p.initialBackoff().toMillis(),
                    p.maxBackoff().toMillis(), p.retryOnTimeout(), ServiceDto.of(def), List.copyOf(placement),
                    System.currentTimeMillis());
        }

        public AgentId id() {
            return new AgentId(agentId);
        }

        public RetryPolicy retryPolicy() {
            return new RetryPolicy(maxAttempts, Duration.ofMillis(initialBackoffMs), Duration.ofMillis(maxBackoffMs),
                    retryOnTimeout);
        }

        public PlacementStrategy placementStrategy() {
            return PlacementStrategy.valueOf(strategy);
        }

        public AgentSpec spec() {
            return new AgentSpec(name, service, replicas, placementStrategy(), retryPolicy());
        }
    }

    /** A node's offer, replicated to every node, keyed by its cluster address. */
    public record NodeRecord(String nodeId, String address, long uid, double cpuCores, long memoryMb, int maxAgents,
            List<ServiceDto> services) implements ClusterMessage {
    }

    /** Where a replica runs now, written by the replica when it starts. */
    public record ReplicaLocation(String address, long uid, String nodeId) implements ClusterMessage {
    }

    /** What a replica entity accepts. */
    public sealed interface ReplicaCommand permits Ensure, Deliver, GetStatus, Retire, Tick {
    }

    /** Start (or keep) the replica: sent after deploy and by the keeper when a replica's node is gone. */
    public record Ensure(long sentMillis) implements ReplicaCommand, ClusterMessage {
    }

    /** A message for the agent; {@code replyTo} is null for one-way messages. */
    public record Deliver(long requestId, String from, JsonNode content, ActorRef<ReplicaReply> replyTo)
            implements ReplicaCommand, ClusterMessage {
    }

    public record GetStatus(ActorRef<ReplicaStatusDto> replyTo) implements ReplicaCommand, ClusterMessage {
    }

    /** Stop the replica (undeploy, or sharding hand-off). */
    public record Retire(long sentMillis) implements ReplicaCommand, ClusterMessage {
    }

    /** Local timer of the entity; never sent between nodes. */
    public record Tick() implements ReplicaCommand {
    }

    /** The answer to a {@link Deliver}. */
    public sealed interface ReplicaReply permits Ok, Err {
    }

    public record Ok(long requestId, int replica, String nodeId, JsonNode content) implements ReplicaReply, ClusterMessage {
    }

    public record Err(long requestId, String code, String message) implements ReplicaReply, ClusterMessage {
    }

    public record ReplicaStatusDto(int index, String nodeId, String state, long processed, long failed, long rejected,
            int queued, String lastError) implements ClusterMessage {
        public static ReplicaStatusDto of(ReplicaStatus s) {
            return new ReplicaStatusDto(s.index(), s.node().orElse(null), s.state().name(), s.processed(), s.failed(),
                    s.rejected(), s.queued(), s.lastError().orElse(null));
        }

        public ReplicaStatus toStatus() {
            return new ReplicaStatus(index, Optional.ofNullable(nodeId), AgentState.valueOf(state), processed, failed,
                    rejected, queued, Optional.ofNullable(lastError));
        }
    }
}
