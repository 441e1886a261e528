package org.aivillage.fabric.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.cluster.Protocol.Deliver;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.Ensure;
import org.aivillage.fabric.cluster.Protocol.Err;
import org.aivillage.fabric.cluster.Protocol.GetStatus;
import org.aivillage.fabric.cluster.Protocol.Ok;
import org.aivillage.fabric.cluster.Protocol.ReplicaCommand;
import org.aivillage.fabric.cluster.Protocol.ReplicaStatusDto;
import org.aivillage.fabric.cluster.Protocol.Retire;
import org.aivillage.fabric.cluster.Protocol.Tick;
import org.aivillage.fabric.internal.LocalHost;
import org.aivillage.fabric.internal.Replica;
import org.aivillage.fabric.internal.Reply;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded entity of one replica ({@code agentId#index}). It waits until the deployment has
 * replicated to this node, starts a {@link Replica} (mailbox + virtual thread) on the local host,
 * records its location, and hands messages to it. It retires itself when the deployment
 * disappears from the registry (undeployed elsewhere).
 */
final class ReplicaEntity {
    private static final Logger log = LoggerFactory.getLogger(ReplicaEntity.class);
    static final int STASH = 1000;
    static final Duration WAIT_FOR_DEPLOYMENT = Duration.ofSeconds(10);

    /** What the entity needs from the engine. */
    interface Host {
        ClusterView view();

        LocalHost localHost();

        void publishLocation(String replicaKey);

        void removeLocation(String replicaKey);
    }

    private final String key;
    private final AgentId agentId;
    private final int index;
    private final Host host;
    private final StashBuffer<ReplicaCommand> stash;
    private final TimerScheduler<ReplicaCommand> timers;

    private ReplicaEntity(String key, Host host, StashBuffer<ReplicaCommand> stash, TimerScheduler<ReplicaCommand> timers) {
        this.key = key;
        int hash = key.lastIndexOf('#');
        this.agentId = new AgentId(key.substring(0, hash));
        this.index = Integer.parseInt(key.substring(hash + 1));
        this.host = host;
        this.stash = stash;
        this.timers = timers;
    }

    static Behavior<ReplicaCommand> create(String entityId, Host host) {
        return Behaviors.withStash(STASH, stash -> Behaviors.withTimers(timers -> {
            ReplicaEntity e = new ReplicaEntity(entityId, host, stash, timers);
            timers.startTimerWithFixedDelay(new Tick(), Duration.ofMillis(100));
            return e.waiting(System.nanoTime() + WAIT_FOR_DEPLOYMENT.toNanos());
        }));
    }

    private Behavior<ReplicaCommand> waiting(long deadline) {
        return Behaviors.receive(ReplicaCommand.class)
                .onMessage(Tick.class, t -> {
                    Optional<DeploymentRecord> d = host.view().deployment(agentId.value());
                    if (d.isPresent()) {
                        return stash.unstashAll(start(d.get()));
                    }
                    if (System.nanoTime() > deadline) {
                        return stash.unstashAll(gone());
                    }
                    return Behaviors.same();
                })
                .onMessage(Retire.class, r -> Behaviors.stopped())
                .onMessage(ReplicaCommand.class, m -> {
                    if (stash.isFull()) {
                        if (m instanceof Deliver d && d.replyTo() != null) {
                            d.replyTo().tell(new Err(d.requestId(), FabricException.Code.OVERLOADED.name(),
                                    "replica " + key + " is starting and its buffer is full"));
                        }
                    } else {
                        stash.stash(m);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** The deployment never showed up (undeployed meanwhile): answer what is stashed, then stop. */
    private Behavior<ReplicaCommand> gone() {
        timers.cancelAll();
        return Behaviors.receive(ReplicaCommand.class)
                .onMessage(Deliver.class, d -> {
                    if (d.replyTo() != null) {
                        d.replyTo().tell(new Err(d.requestId(), FabricException.Code.AGENT_NOT_FOUND.name(),
                                "no agent " + agentId + " is deployed"));
                    }
                    return Behaviors.stopped();
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(new ReplicaStatusDto(index, null, AgentState.STOPPED.name(), 0, 0, 0, 0,
                            "agent not deployed"));
                    return Behaviors.stopped();
                })
                .onAnyMessage(m -> Behaviors.stopped())
                .build();
    }

    private Behavior<ReplicaCommand> start(DeploymentRecord d) {
        Replica replica;
        try {
            replica = host.localHost().startReplica(agentId, index, d.definition().toDefinition());
        } catch (FabricException e) {
            log.atWarn().setMessage("replica cannot start here").addKeyValue("event", "replica_start_refused")
                    .addKeyValue("replica", key).addKeyValue("error", e.getMessage()).log();
            return failing(e.getMessage());
        }
        host.publishLocation(key);
        log.atInfo().setMessage("replica started").addKeyValue("event", "replica_started").addKeyValue("replica", key)
                .addKeyValue("node", host.localHost().nodeId()).log();
        timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
        return running(replica, 0);
    }

    private Behavior<ReplicaCommand> running(Replica replica, int missingTicks) {
        return Behaviors.receive(ReplicaCommand.class)
                .onMessage(Deliver.class, d -> {
                    AgentMessage message = new AgentMessage(agentId, d.from(), d.content());
                    replica.offer(message, d.replyTo() == null ? null : new RemoteReply(d));
                    return Behaviors.same();
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(ReplicaStatusDto.of(replica.status()));
                    return Behaviors.same();
                })
                .onMessage(Ensure.class, e -> Behaviors.same())
                .onMessage(Retire.class, r -> retire(replica))
                .onMessage(Tick.class, t -> {
                    if (host.view().deployment(agentId.value()).isPresent()) {
                        return missingTicks == 0 ? Behaviors.same() : running(replica, 0);
                    }
                    if (missingTicks + 1 >= 2) {
                        log.atInfo().setMessage("deployment gone; replica retires").addKeyValue("replica", key).log();
                        return retire(replica);
                    }
                    return running(replica, missingTicks + 1);
                })
                .onSignal(PostStop.class, s -> {
                    stopAsync(replica);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<ReplicaCommand> retire(Replica replica) {
        stopAsync(replica);
        if (host.view().deployment(agentId.value()).isEmpty()) {
            host.removeLocation(key);
        }
        return Behaviors.stopped();
    }

    private void stopAsync(Replica replica) {
        Thread.ofVirtual().name("retire-" + key).start(() -> host.localHost().stopReplica(replica, Duration.ofSeconds(2)));
    }

    private Behavior<ReplicaCommand> failing(String error) {
        return Behaviors.receive(ReplicaCommand.class)
                .onMessage(Deliver.class, d -> {
                    if (d.replyTo() != null) {
                        d.replyTo().tell(new Err(d.requestId(), FabricException.Code.UNAVAILABLE.name(), error));
                    }
                    return Behaviors.same();
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(ReplicaStatusDto.of(new ReplicaStatus(index, Optional.of(host.localHost().nodeId()),
                            AgentState.FAILING, 0, 0, 0, 0, Optional.of(error))));
                    return Behaviors.same();
                })
                .onMessage(Retire.class, r -> Behaviors.stopped())
                .onMessage(Tick.class, t -> host.view().deployment(agentId.value()).isPresent()
                        ? Behaviors.same() : Behaviors.stopped())
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    /** Sends the replica's outcome back to the asking node. */
    private static final class RemoteReply implements Reply {
        private final Deliver request;

        RemoteReply(Deliver request) {
            this.request = request;
        }

        @Override
        public void ok(Replica replica, JsonNode content) {
            request.replyTo().tell(new Ok(request.requestId(), replica.replica(), replica.nodeId(), content));
        }

        @Override
        public void error(FabricException.Code code, String message) {
            request.replyTo().tell(new Err(request.requestId(), code.name(), message));
        }
    }
}
