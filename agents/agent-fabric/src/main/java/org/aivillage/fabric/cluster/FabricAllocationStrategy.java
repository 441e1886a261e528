package org.aivillage.fabric.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.ServiceDto;
import org.aivillage.fabric.internal.Placement;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Cluster Sharding allocation that follows the fabric's placement: one replica per shard, put
 * on the node chosen at deploy time while that node is alive; otherwise re-placed with
 * {@link Placement#replace} on a live node (distinct from the agent's other replicas when one
 * fits). Shards are never rebalanced away from a live node.
 */
final class FabricAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy {
    private static final Logger log = LoggerFactory.getLogger(FabricAllocationStrategy.class);

    private static final java.time.Duration DEPLOYMENT_WAIT = java.time.Duration.ofSeconds(3);
    private final ClusterView view;
    private final Address selfAddress;

    FabricAllocationStrategy(ClusterView view, Address selfAddress) {
        this.view = view;
        this.selfAddress = selfAddress;
    }

    private String addressOf(ActorRef region) {
        Address a = region.path().address();
        return ClusterView.addressKey(a.hasGlobalScope() ? a : selfAddress);
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
        int hash = shardId.lastIndexOf('#');
        if (hash < 0) {
            return Futures.successful(requester);
        }
        String agentId = shardId.substring(0, hash);
        DeploymentRecord d = view.deployment(agentId).orElse(null);
        if (d != null) {
            return Futures.successful(allocate(requester, shardId, current, d));
        }
        // Deployed on another node moments ago: wait (bounded) until the record reaches this node.
        CompletableFuture<ActorRef> later = new CompletableFuture<>();
        Thread.ofVirtual().name("allocate-" + shardId).start(() -> {
            long deadline = System.nanoTime() + DEPLOYMENT_WAIT.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    DeploymentRecord r = view.deployment(agentId).orElse(null);
                    if (r != null) {
                        later.complete(allocate(requester, shardId, current, r));
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.atWarn().setMessage("allocation failed").addKeyValue("replica", shardId).setCause(e).log();
            }
            later.complete(requester);
        });
        return FutureConverters.asScala(later);
    }

    private ActorRef allocate(ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current,
            DeploymentRecord d) {
        int hash = shardId.lastIndexOf('#');
        int index = Integer.parseInt(shardId.substring(hash + 1));
        Map<String, ActorRef> regions = new HashMap<>();
        Map<String, List<String>> shardsByNode = new HashMap<>();
        for (Map.Entry<ActorRef, IndexedSeq<String>> e : current.entrySet()) {
            String address = addressOf(e.getKey());
            if (!view.unreachable.contains(address)) {
                regions.put(address, e.getKey());
            }
            shardsByNode.put(address, new ArrayList<>(CollectionConverters.asJava(e.getValue())));
        }
        Set<String> otherReplicaNodes = new HashSet<>();
        String prefix = d.agentId() + "#";
        shardsByNode.forEach((node, shards) -> {
            for (String s : shards) {
                if (s.startsWith(prefix) && !s.equals(shardId)) {
                    otherReplicaNodes.add(node);
                }
            }
        });
        String desired = index < d.placement().size() ? d.placement().get(index) : null;
        boolean spread = d.placementStrategy() == PlacementStrategy.SPREAD;
        if (desired != null && regions.containsKey(desired) && !(spread && otherReplicaNodes.contains(desired))) {
            return regions.get(desired);
        }
        ServiceDefinition service = d.definition().toDefinition();
        List<Placement.NodeCapacity> capacities = new ArrayList<>();
        Map<String, DeploymentRecord> deployments = view.allDeployments();
        for (Map.Entry<String, ActorRef> e : regions.entrySet()) {
            NodeRecord n = view.nodes.get(e.getKey());
            if (n == null) {
                continue;
            }
            double cpu = 0;
            long mem = 0;
            int agents = 0;
            for (String s : shardsByNode.getOrDefault(e.getKey(), List.of())) {
                int h = s.lastIndexOf('#');
                DeploymentRecord other = h < 0 ? null : deployments.get(s.substring(0, h));
                if (other != null) {
                    cpu += other.definition().cpuCores();
                    mem += other.definition().memoryMb();
                    agents++;
                }
            }
            Set<String> services = new HashSet<>();
            for (ServiceDto s : n.services()) {
                services.add(s.name() + "@" + s.version());
            }
            capacities.add(new Placement.NodeCapacity(e.getKey(), n.cpuCores(), n.memoryMb(), n.maxAgents(), cpu, mem,
                    agents, services));
        }
        String node = Placement.replace(capacities, service, otherReplicaNodes);
        ActorRef chosen = node == null ? requester : regions.get(node);
        log.atInfo().setMessage("replica re-placed").addKeyValue("event", "replica_replaced")
                .addKeyValue("replica", shardId).addKeyValue("from", desired)
                .addKeyValue("to", node == null ? addressOf(requester) : node).log();
        return chosen;
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> rebalanceInProgress) {
        return Futures.successful(Set.of());
    }
}
