package org.aivillage.navigator;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.aivillage.navigator.internal.Engine;
import org.aivillage.navigator.internal.GraphState;

/**
 * One immutable installed topology. Every query runs against exactly one snapshot, so it never
 * sees half of an update. Thread-safe; any number of queries may run on it at once.
 */
public final class TopologySnapshot {
    private final GraphState state;
    private final SearchLimits limits;

    TopologySnapshot(GraphState state, SearchLimits limits) {
        this.state = state;
        this.limits = limits;
    }

    GraphState state() {
        return state;
    }

    /** Increases by one with every installed topology or batch of updates. */
    public long version() {
        return state.version;
    }

    public int nodeCount() {
        return state.s.n;
    }

    /** Number of directed edges. */
    public int edgeCount() {
        return state.s.m;
    }

    public boolean hasNode(String id) {
        return state.s.node(id) >= 0;
    }

    public List<String> nodes() {
        return Arrays.asList(state.s.names.clone());
    }

    public Optional<NodeMetadata> nodeMetadata(String id) {
        int v = state.s.node(id);
        return v < 0 ? Optional.empty() : Optional.of(state.node(v));
    }

    public Optional<EdgeMetrics> edgeMetrics(String from, String to) {
        int e = edge(from, to);
        return e < 0 ? Optional.empty() : Optional.of(state.metrics(e));
    }

    public boolean isNodeFailed(String id) {
        return state.nodeFailed(state.nodeOf("id", id));
    }

    /** Whether the edge is marked failed (false when there is no such edge). */
    public boolean isEdgeFailed(String from, String to) {
        int e = edge(from, to);
        return e >= 0 && state.edgeFailed(e);
    }

    /** Whether a search may use the edge: it exists, it and both ends are up, reliability and bandwidth &gt; 0. */
    public boolean isUsable(String from, String to) {
        int e = edge(from, to);
        return e >= 0 && state.usable(e);
    }

    private int edge(String from, String to) {
        int a = state.s.node(from);
        int b = state.s.node(to);
        return a < 0 || b < 0 ? -1 : state.s.edge(a, b);
    }

    /** Approximate heap bytes this snapshot holds (arrays and node names index). */
    public long footprintBytes() {
        return state.footprintBytes();
    }

    /** The optimal path for the request, or why there is none. */
    public RouteResult findPath(RoutingRequest request) {
        return new Engine(state, request, limits.maxLabels()).findPath();
    }

    /**
     * Up to {@code k} loop-free paths in order of the request's goal, each meeting its constraints
     * (Yen's algorithm). Fewer when fewer exist.
     */
    public List<Path> findKShortestPaths(RoutingRequest request, int k) {
        return new Engine(state, request, limits.maxLabels()).kShortest(k);
    }

    /** The Pareto frontier over (latency, cost, reliability) of paths meeting the constraints. */
    public ParetoFrontier findParetoPaths(RoutingRequest request, int maxPaths) {
        return new Engine(state, request, limits.maxLabels()).pareto(maxPaths);
    }
}
