package org.aivillage.fabric.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceRequirements;
import org.aivillage.fabric.ServiceDefinition;

/**
 * Placement and admission control, as pure functions over node capacities. A replica fits a node
 * when the node runs the service, has a free agent slot ({@code agents < maxAgents}) and its
 * reserved CPU and memory plus the replica's stay within its limits.
 */
public final class Placement {
    private static final double EPSILON = 1e-9;

    private Placement() {
    }

    /**
     * One node as placement sees it.
     *
     * @param node node id (or address) returned in placements
     * @param services service keys ({@code name@version}) the node can run
     */
    public record NodeCapacity(String node, double cpuCores, long memoryMb, int maxAgents, double cpuReserved,
            long memoryReservedMb, int agents, Set<String> services) {
        public NodeCapacity {
            services = Set.copyOf(services);
        }

        NodeCapacity plus(ResourceRequirements r) {
            return new NodeCapacity(node, cpuCores, memoryMb, maxAgents, cpuReserved + r.cpuCores(),
                    memoryReservedMb + r.memoryMb(), agents + 1, services);
        }

        /** Load in [0, 1+]: the fullest of CPU, memory and agent slots. */
        double load() {
            double cpu = cpuCores > 0 ? cpuReserved / cpuCores : 1;
            double mem = memoryMb > 0 ? (double) memoryReservedMb / memoryMb : 1;
            double slots = maxAgents > 0 ? (double) agents / maxAgents : 1;
            return Math.max(cpu, Math.max(mem, slots));
        }

        /** Why {@code r} does not fit, or null when it does. */
        String misfit(ServiceDefinition service) {
            ResourceRequirements r = service.resourceRequirements();
            if (!services.contains(service.key())) {
                return "does not run " + service.key();
            }
            if (agents + 1 > maxAgents) {
                return "all " + maxAgents + " agent slots taken";
            }
            if (cpuReserved + r.cpuCores() > cpuCores + EPSILON) {
                return String.format(Locale.ROOT, "%.2f of %.2f cpu reserved", cpuReserved, cpuCores);
            }
            if (memoryReservedMb + r.memoryMb() > memoryMb) {
                return memoryReservedMb + " of " + memoryMb + " MB reserved";
            }
            return null;
        }
    }

    private static final Comparator<NodeCapacity> LEAST_LOADED =
            Comparator.comparingDouble(NodeCapacity::load).thenComparing(NodeCapacity::node);
    private static final Comparator<NodeCapacity> MOST_LOADED =
            Comparator.comparingDouble(NodeCapacity::load).reversed().thenComparing(NodeCapacity::node);

    /**
     * Places {@code replicas} replicas of {@code service}.
     *
     * @param localNode the node that received the request (for {@link PlacementStrategy#LOCAL})
     * @return the node of each replica, in replica order
     * @throws FabricException {@code PLACEMENT_FAILED} naming, per node, why nothing fits
     */
    public static List<String> place(List<NodeCapacity> nodes, ServiceDefinition service, int replicas,
            PlacementStrategy strategy, String localNode, String agentName) {
        List<NodeCapacity> state = new ArrayList<>(nodes);
        state.sort(Comparator.comparing(NodeCapacity::node));
        List<String> chosen = new ArrayList<>(replicas);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < replicas; i++) {
            NodeCapacity best = null;
            int bestIndex = -1;
            List<String> reasons = new ArrayList<>();
            for (int n = 0; n < state.size(); n++) {
                NodeCapacity c = state.get(n);
                String why = null;
                if (strategy == PlacementStrategy.LOCAL && !c.node().equals(localNode)) {
                    continue;
                }
                if (strategy == PlacementStrategy.SPREAD && used.contains(c.node())) {
                    why = "already hosts a replica of this agent";
                }
                if (why == null) {
                    why = c.misfit(service);
                }
                if (why != null) {
                    reasons.add(c.node() + ": " + why);
                    continue;
                }
                Comparator<NodeCapacity> order = strategy == PlacementStrategy.BINPACK ? MOST_LOADED : LEAST_LOADED;
                if (best == null || order.compare(c, best) < 0) {
                    best = c;
                    bestIndex = n;
                }
            }
            if (best == null) {
                if (strategy == PlacementStrategy.LOCAL && reasons.isEmpty()) {
                    reasons.add(localNode + ": not a known node");
                }
                if (nodes.isEmpty()) {
                    reasons.add("no nodes are up");
                }
                ResourceRequirements r = service.resourceRequirements();
                throw new FabricException(FabricException.Code.PLACEMENT_FAILED, String.format(Locale.ROOT,
                        "cannot place replica %d of %d of agent \"%s\" (service %s, %.2f cpu and %d MB each) with %s: %s",
                        i + 1, replicas, agentName, service.key(), r.cpuCores(), r.memoryMb(),
                        strategy.name().toLowerCase(Locale.ROOT), String.join("; ", reasons)));
            }
            state.set(bestIndex, best.plus(service.resourceRequirements()));
            used.add(best.node());
            chosen.add(best.node());
        }
        return chosen;
    }

    /**
     * Where a replica goes after its node was lost. Prefers, in order: a node that fits and hosts no
     * other replica of the agent; a node that fits; a node that runs the service even though it is
     * full (over-commit, so that the agent keeps serving; the caller logs it). Least loaded first.
     *
     * @param otherReplicaNodes nodes hosting the agent's other replicas now
     * @return the node, or null when no node runs the service
     */
    public static String replace(List<NodeCapacity> nodes, ServiceDefinition service, Set<String> otherReplicaNodes) {
        NodeCapacity distinct = null;
        NodeCapacity fitting = null;
        NodeCapacity any = null;
        for (NodeCapacity c : nodes) {
            if (!c.services().contains(service.key())) {
                continue;
            }
            if (any == null || LEAST_LOADED.compare(c, any) < 0) {
                any = c;
            }
            if (c.misfit(service) != null) {
                continue;
            }
            if (fitting == null || LEAST_LOADED.compare(c, fitting) < 0) {
                fitting = c;
            }
            if (!otherReplicaNodes.contains(c.node()) && (distinct == null || LEAST_LOADED.compare(c, distinct) < 0)) {
                distinct = c;
            }
        }
        NodeCapacity pick = distinct != null ? distinct : fitting != null ? fitting : any;
        return pick == null ? null : pick.node();
    }
}
