package org.aivillage.fabric.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.ReplicaLocation;
import org.apache.pekko.actor.Address;

/**
 * This node's view of the cluster: the replicated registry (deployments, nodes, replica locations)
 * as last delivered by the local Distributed Data replicator, and membership as last seen by
 * cluster events. Immutable snapshots behind volatile fields; read from any thread.
 */
final class ClusterView {
    volatile Map<String, DeploymentRecord> deployments = Map.of();
    volatile Map<String, NodeRecord> nodes = Map.of();
    volatile Map<String, ReplicaLocation> locations = Map.of();
    /** Members that are Up (or WeaklyUp): address to incarnation uid. */
    volatile Map<String, Long> members = Map.of();
    volatile Set<String> unreachable = Set.of();
    volatile boolean selfUp;

    /** Writes of this node not yet echoed by the replicator's subscription (read-your-writes). */
    private final ConcurrentHashMap<String, DeploymentRecord> pendingAdds = new ConcurrentHashMap<>();
    private final Set<String> pendingRemoves = ConcurrentHashMap.newKeySet();

    static String addressKey(Address a) {
        return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
    }

    Optional<DeploymentRecord> deployment(String agentId) {
        if (pendingRemoves.contains(agentId)) {
            return Optional.empty();
        }
        DeploymentRecord r = pendingAdds.get(agentId);
        return Optional.ofNullable(r != null ? r : deployments.get(agentId));
    }

    Map<String, DeploymentRecord> allDeployments() {
        if (pendingAdds.isEmpty() && pendingRemoves.isEmpty()) {
            return deployments;
        }
        Map<String, DeploymentRecord> m = new java.util.HashMap<>(deployments);
        m.putAll(pendingAdds);
        m.keySet().removeAll(pendingRemoves);
        return m;
    }

    void localAdd(DeploymentRecord r) {
        pendingRemoves.remove(r.agentId());
        pendingAdds.put(r.agentId(), r);
    }

    void localRemove(String agentId) {
        pendingAdds.remove(agentId);
        pendingRemoves.add(agentId);
    }

    void deploymentsChanged(Map<String, DeploymentRecord> now) {
        deployments = Map.copyOf(now);
        pendingAdds.keySet().removeIf(now::containsKey);
        pendingRemoves.removeIf(k -> !now.containsKey(k));
    }

    /** Whether the replica location points at a live, reachable incarnation. */
    boolean live(ReplicaLocation loc) {
        if (loc == null) {
            return false;
        }
        Long uid = members.get(loc.address());
        return uid != null && uid == loc.uid() && !unreachable.contains(loc.address());
    }

    boolean alive(String address) {
        return members.containsKey(address) && !unreachable.contains(address);
    }
}
