package org.aivillage.navigator;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.aivillage.navigator.internal.GraphState;
import org.aivillage.navigator.internal.RawGraph;

/**
 * Path finding over an installed topology: constrained optimal paths, k shortest loop-free paths,
 * Pareto frontiers, route monitoring and alternatives.
 *
 * <p>The topology is an immutable {@link TopologySnapshot} behind an atomic reference: installing
 * a topology or applying metric updates builds a new snapshot and swaps it in, so queries never
 * see half a graph and keep running on the snapshot they started with. Writers are serialised;
 * readers never wait. Thread-safe.
 */
public final class Navigator {
    /** Largest k accepted by {@code findKShortestPaths}. */
    public static final int MAX_K = org.aivillage.navigator.internal.Engine.MAX_K;

    private final SearchLimits limits;
    private final Object writeLock = new Object();
    private final AtomicReference<TopologySnapshot> current;

    public Navigator() {
        this(SearchLimits.DEFAULT);
    }

    public Navigator(SearchLimits limits) {
        this.limits = limits;
        this.current = new AtomicReference<>(new TopologySnapshot(GraphState.compile(new NetworkGraph().export(), 0),
                limits));
    }

    /** A navigator with {@code graph} installed. */
    public Navigator(NetworkGraph graph) {
        this();
        updateTopology(graph);
    }

    /** The topology installed now. */
    public TopologySnapshot snapshot() {
        return current.get();
    }

    /** Installs a copy of {@code graph} as the new topology; returns the new snapshot. */
    public TopologySnapshot updateTopology(NetworkGraph graph) {
        RawGraph raw = graph.export();
        synchronized (writeLock) {
            TopologySnapshot next = new TopologySnapshot(GraphState.compile(raw, current.get().version() + 1), limits);
            current.set(next);
            return next;
        }
    }

    /**
     * Applies a batch of metric and status updates atomically: either all of them (one new
     * snapshot) or, when one names an unknown node or link, none and an exception.
     */
    public TopologySnapshot applyUpdates(List<? extends TopologyUpdate> updates) {
        synchronized (writeLock) {
            TopologySnapshot cur = current.get();
            TopologySnapshot next = new TopologySnapshot(cur.state().withUpdates(updates, cur.version() + 1), limits);
            current.set(next);
            return next;
        }
    }

    public TopologySnapshot updateEdgeMetrics(String from, String to, EdgeMetrics metrics) {
        return applyUpdates(List.of(new TopologyUpdate.EdgeMetricsChanged(new Link(from, to), metrics)));
    }

    public TopologySnapshot updateNodeLoad(String node, double currentLoad) {
        return applyUpdates(List.of(new TopologyUpdate.NodeLoadChanged(node, currentLoad)));
    }

    public TopologySnapshot setNodeFailed(String node, boolean failed) {
        return applyUpdates(List.of(new TopologyUpdate.NodeStatusChanged(node, failed)));
    }

    public TopologySnapshot setEdgeFailed(String from, String to, boolean failed) {
        return applyUpdates(List.of(new TopologyUpdate.EdgeStatusChanged(new Link(from, to), failed)));
    }

    /** The optimal path for the request on the current topology, or why there is none. */
    public RouteResult findPath(RoutingRequest request) {
        return snapshot().findPath(request);
    }

    /** Up to k loop-free lowest-latency paths from a to b. */
    public List<Path> findKShortestPaths(String a, String b, int k) {
        return snapshot().findKShortestPaths(RoutingRequest.of(a, b), k);
    }

    /** Up to k loop-free paths ordered by the request's goal, each meeting its constraints. */
    public List<Path> findKShortestPaths(RoutingRequest request, int k) {
        return snapshot().findKShortestPaths(request, k);
    }

    /** The Pareto frontier over (latency, cost, reliability), at most {@code maxPaths} paths. */
    public ParetoFrontier findParetoPaths(RoutingRequest request, int maxPaths) {
        return snapshot().findParetoPaths(request, maxPaths);
    }

    /** A monitor of {@code path} with default thresholds. */
    public RouteMonitor createRouteMonitor(Path path) {
        return new RouteMonitor(this, path, Optional.empty(), MonitorThresholds.DEFAULT);
    }

    /** A monitor of {@code path} that also reports violations of {@code request}'s constraints. */
    public RouteMonitor createRouteMonitor(Path path, RoutingRequest request, MonitorThresholds thresholds) {
        return new RouteMonitor(this, path, Optional.of(request), thresholds);
    }

    /**
     * The best path for {@code request} that avoids every failed or degraded node and link of
     * {@code path} (default thresholds). When nothing on the path is failed or degraded, the best
     * path for the request that differs from {@code path}.
     */
    public RouteResult findAlternativePath(Path path, RoutingRequest request) {
        TopologySnapshot snap = snapshot();
        RouteHealth health = RouteMonitor.check(snap, path, Optional.of(request), MonitorThresholds.DEFAULT);
        Set<String> nodes = new HashSet<>();
        Set<Link> links = new HashSet<>();
        for (RouteHealth.Issue issue : health.issues()) {
            switch (issue) {
                case RouteHealth.Issue.NodeIssue n -> nodes.add(n.node());
                case RouteHealth.Issue.LinkIssue l -> links.add(l.link());
                case RouteHealth.Issue.PathIssue p -> { }
            }
        }
        nodes.remove(request.source());
        nodes.remove(request.destination());
        RoutingRequest avoiding = request.avoiding(nodes, links);
        if (!health.issues().isEmpty()) {
            RouteResult r = snap.findPath(avoiding);
            if (!(r instanceof RouteResult.Found f) || !f.route().nodes().equals(path.nodes())) {
                return r;
            }
        }
        for (Path p : snap.findKShortestPaths(avoiding, 2)) {
            if (!p.nodes().equals(path.nodes())) {
                return new RouteResult.Found(p);
            }
        }
        return new RouteResult.NoRoute(RouteResult.Kind.UNREACHABLE, Set.of(), Optional.empty(),
                "no path for the request other than " + String.join(" -> ", path.nodes()));
    }
}
