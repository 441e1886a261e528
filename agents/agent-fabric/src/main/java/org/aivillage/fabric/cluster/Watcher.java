package org.aivillage.fabric.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.ReplicaLocation;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ClusterView} current (Distributed Data subscriptions and cluster events),
 * tells the engine when a node becomes unreachable or leaves (to fail over in-flight requests),
 * and every {@code keeperInterval} wakes the replicas whose node is gone, which makes Cluster
 * Sharding place them again.
 */
final class Watcher {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);

    interface Msg {
    }

    private record DataChanged(Replicator.SubscribeResponse<?> response) implements Msg {
    }

    private record ClusterChanged(Object event) implements Msg {
    }

    private record KeeperTick() implements Msg {
    }

    private Watcher() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Behavior<Msg> create(ClusterView view, Duration keeperInterval, Consumer<String> nodeLost,
            Consumer<String> wake, Runnable housekeeping) {
        return Behaviors.setup(ctx -> {
            ActorRef<Replicator.Command> replicator = DistributedData.get(ctx.getSystem()).replicator();
            ActorRef<Replicator.SubscribeResponse> dataAdapter = (ActorRef) ctx.messageAdapter(
                    Replicator.SubscribeResponse.class, r -> new DataChanged(r));
            replicator.tell(new Replicator.Subscribe(Keys.DEPLOYMENTS, dataAdapter));
            replicator.tell(new Replicator.Subscribe(Keys.NODES, dataAdapter));
            replicator.tell(new Replicator.Subscribe(Keys.LOCATIONS, dataAdapter));
            Cluster cluster = Cluster.get(ctx.getSystem());
            ActorRef<ClusterEvent.MemberEvent> memberAdapter = ctx.messageAdapter(ClusterEvent.MemberEvent.class,
                    ClusterChanged::new);
            ActorRef<ClusterEvent.ReachabilityEvent> reachAdapter = ctx.messageAdapter(
                    ClusterEvent.ReachabilityEvent.class, ClusterChanged::new);
            cluster.subscriptions().tell(Subscribe.create(memberAdapter, ClusterEvent.MemberEvent.class));
            cluster.subscriptions().tell(Subscribe.create(reachAdapter, ClusterEvent.ReachabilityEvent.class));
            return Behaviors.withTimers(timers -> {
                timers.startTimerWithFixedDelay(new KeeperTick(), keeperInterval);
                return Behaviors.receive(Msg.class)
                        .onMessage(DataChanged.class, m -> {
                            if (m.response() instanceof Replicator.Changed<?> changed) {
                                Object data = changed.dataValue();
                                Map<String, ?> entries = ((LWWMap<String, ?>) data).getEntries();
                                if (changed.key().equals(Keys.DEPLOYMENTS)) {
                                    view.deploymentsChanged((Map<String, DeploymentRecord>) entries);
                                } else if (changed.key().equals(Keys.NODES)) {
                                    view.nodes = Map.copyOf((Map<String, NodeRecord>) entries);
                                } else if (changed.key().equals(Keys.LOCATIONS)) {
                                    view.locations = Map.copyOf((Map<String, ReplicaLocation>) entries);
                                }
                            }
                            return Behaviors.same();
                        })
                        .onMessage(ClusterChanged.class, m -> {
                            refreshMembership(cluster, view, nodeLost, m.event());
                            return Behaviors.same();
                        })
                        .onMessage(KeeperTick.class, m -> {
                            refreshMembership(cluster, view, nodeLost, null);
                            if (view.selfUp) {
                                keep(view, wake);
                                housekeeping.run();
                            }
                            return Behaviors.same();
                        })
                        .build();
            });
        });
    }

    private static void refreshMembership(Cluster cluster, ClusterView view, Consumer<String> nodeLost, Object event) {
        ClusterEvent.CurrentClusterState state = cluster.state();
        Map<String, Long> members = new HashMap<>();
        for (Member m : state.getMembers()) {
            if (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()) {
                members.put(ClusterView.addressKey(m.address()), m.uniqueAddress().longUid());
            }
        }
        Set<String> unreachable = new HashSet<>();
        for (Member m : state.getUnreachable()) {
            unreachable.add(ClusterView.addressKey(m.address()));
        }
        Set<String> lost = new HashSet<>(view.members.keySet());
        lost.removeAll(members.keySet());
        Set<String> newlyUnreachable = new HashSet<>(unreachable);
        newlyUnreachable.removeAll(view.unreachable);
        lost.addAll(newlyUnreachable);
        view.members = Map.copyOf(members);
        view.unreachable = Set.copyOf(unreachable);
        view.selfUp = cluster.selfMember().status() == MemberStatus.up()
                || cluster.selfMember().status() == MemberStatus.weaklyUp();
        if (event != null) {
            log.atInfo().setMessage("cluster membership changed").addKeyValue("event", "cluster_change")
                    .addKeyValue("change", event.getClass().getSimpleName()).addKeyValue("up", members.size())
                    .addKeyValue("unreachable", unreachable.size()).log();
        }
        if (view.selfUp) {
            for (String address : lost) {
                nodeLost.accept(address);
            }
        }
    }

    /** Wakes every replica whose recorded location is not a live, reachable incarnation. */
    private static void keep(ClusterView view, Consumer<String> wake) {
        Map<String, ReplicaLocation> locations = view.locations;
        for (DeploymentRecord d : view.allDeployments().values()) {
            for (int i = 0; i < d.replicas(); i++) {
                String key = d.agentId() + "#" + i;
                if (!view.live(locations.get(key))) {
                    wake.accept(key);
                }
            }
        }
    }


}
