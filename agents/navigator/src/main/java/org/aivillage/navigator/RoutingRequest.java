package org.aivillage.navigator;

import java.util.Set;

/**
 * One path query.
 *
 * @param source           where the path starts
 * @param destination      where it ends
 * @param constraints      limits the path must respect
 * @param optimizationGoal what to optimise among the paths that respect them
 * @param avoidNodes       nodes the path must not pass through (the endpoints cannot be avoided)
 * @param avoidLinks       directed links the path must not use
 */
public record RoutingRequest(String source, String destination, PathConstraints constraints,
                             OptimizationGoal optimizationGoal, Set<String> avoidNodes, Set<Link> avoidLinks) {
    public RoutingRequest {
        Checks.nodeId("source", source);
        Checks.nodeId("destination", destination);
        if (constraints == null || optimizationGoal == null || avoidNodes == null || avoidLinks == null) {
            throw new IllegalArgumentException("constraints, optimizationGoal, avoidNodes and avoidLinks must not be null");
        }
        avoidNodes = Set.copyOf(avoidNodes);
        avoidLinks = Set.copyOf(avoidLinks);
    }

    public RoutingRequest(String source, String destination, PathConstraints constraints, OptimizationGoal goal) {
        this(source, destination, constraints, goal, Set.of(), Set.of());
    }

    /** Lowest latency, no constraints. */
    public static RoutingRequest of(String source, String destination) {
        return new RoutingRequest(source, destination, PathConstraints.NONE, OptimizationGoal.MINIMIZE_LATENCY);
    }

    public RoutingRequest withGoal(OptimizationGoal goal) {
        return new RoutingRequest(source, destination, constraints, goal, avoidNodes, avoidLinks);
    }

    public RoutingRequest withConstraints(PathConstraints c) {
        return new RoutingRequest(source, destination, c, optimizationGoal, avoidNodes, avoidLinks);
    }

    /** This request, additionally avoiding the given nodes and links. */
    public RoutingRequest avoiding(Set<String> nodes, Set<Link> links) {
        var n = new java.util.HashSet<>(avoidNodes);
        n.addAll(nodes);
        var l = new java.util.HashSet<>(avoidLinks);
        l.addAll(links);
        return new RoutingRequest(source, destination, constraints, optimizationGoal, n, l);
    }
}
