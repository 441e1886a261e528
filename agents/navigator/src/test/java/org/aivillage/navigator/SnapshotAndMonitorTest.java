package org.aivillage.navigator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aivillage.navigator.RouteHealth.Status;
import org.junit.jupiter.api.Test;

/** Atomic topology snapshots, metric updates, route monitoring and alternatives. */
class SnapshotAndMonitorTest {

    /** A line a-b-c-d with a detour b-x-c; all edges have the given latency. */
    private static NetworkGraph diamond(double latency) {
        NetworkGraph g = new NetworkGraph();
        for (String id : List.of("a", "b", "c", "d", "x")) {
            g.addNode(id, new NodeMetadata(10, 1));
        }
        EdgeMetrics m = new EdgeMetrics(latency, 100, 0.99, 1);
        g.addBidirectionalEdge("a", "b", m);
        g.addBidirectionalEdge("b", "c", m);
        g.addBidirectionalEdge("c", "d", m);
        g.addBidirectionalEdge("b", "x", m.withLatency(latency * 2));
        g.addBidirectionalEdge("x", "c", m.withLatency(latency * 2));
        return g;
    }

    @Test
    void readersNeverSeeHalfATopology() throws Exception {
        // Two ring topologies of 2000 nodes whose every latency is 1 or every latency is 3: a
        // query that mixed them would report a total that is not a multiple of one value.
        int n = 2000;
        NetworkGraph[] graphs = new NetworkGraph[2];
        for (int k = 0; k < 2; k++) {
            NetworkGraph g = new NetworkGraph();
            for (int v = 0; v < n; v++) {
                g.addNode("r" + v, NodeMetadata.idle());
            }
            for (int v = 0; v < n; v++) {
                g.addBidirectionalEdge("r" + v, "r" + ((v + 1) % n), new EdgeMetrics(k == 0 ? 1 : 3, 10, 1, 1));
            }
            graphs[k] = g;
        }
        Navigator nav = new Navigator(graphs[0]);
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int seed = t;
                readers.add(pool.submit(() -> {
                    java.util.Random r = new java.util.Random(seed);
                    int checked = 0;
                    while (!stop.get() || checked < 50) {
                        int s = r.nextInt(n);
                        int d = r.nextInt(n);
                        Path p = nav.findPath(RoutingRequest.of("r" + s, "r" + d)).path().orElseThrow();
                        double perHop = p.hops() == 0 ? 1 : p.totalLatency() / p.hops();
                        assertThat(perHop).isIn(1.0, 3.0);
                        assertThat(p.hops()).isEqualTo(Math.min(Math.abs(s - d), n - Math.abs(s - d)));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (int i = 0; i < 40; i++) {
                nav.updateTopology(graphs[i % 2]);
            }
            stop.set(true);
            for (Future<Integer> f : readers) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50);
            }
        }
        assertThat(nav.snapshot().version()).isEqualTo(41);
    }

    @Test
    void aQueryKeepsItsSnapshotWhileUpdatesLand() {
        Navigator nav = new Navigator(diamond(1));
        TopologySnapshot old = nav.snapshot();
        nav.setEdgeFailed("b", "c", true);
        assertThat(old.findPath(RoutingRequest.of("a", "d")).path().orElseThrow().nodes())
                .containsExactly("a", "b", "c", "d");
        assertThat(nav.findPath(RoutingRequest.of("a", "d")).path().orElseThrow().nodes())
                .containsExactly("a", "b", "x", "c", "d");
        assertThat(nav.snapshot().version()).isEqualTo(old.version() + 1);
        assertThat(old.isEdgeFailed("b", "c")).isFalse();
    }

    @Test
    void monitorGoesFromHealthyToDegradedToFailed() {
        Navigator nav = new Navigator(diamond(1));
        Path p = nav.findPath(RoutingRequest.of("a", "d")).path().orElseThrow();
        RouteMonitor monitor = nav.createRouteMonitor(p);
        assertThat(monitor.checkHealth().status()).isEqualTo(Status.HEALTHY);
        assertThat(monitor.checkHealth().issues()).isEmpty();

        nav.updateNodeLoad("b", 9.5);
        RouteHealth h = monitor.checkHealth();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.issues()).containsExactly(new RouteHealth.Issue.NodeIssue("b", Status.DEGRADED,
                "node b utilisation 0.950 >= 0.900"));
        nav.updateNodeLoad("b", 1);

        nav.updateEdgeMetrics("c", "d", new EdgeMetrics(5, 100, 0.99, 1));
        h = monitor.checkHealth();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reasons()).contains("link c->d latency rose from 1.000 to 5.000 ms",
                "path latency rose from 3.000 to 7.000 ms");
        assertThat(h.current().orElseThrow().totalLatency()).isEqualTo(7);

        nav.setEdgeFailed("b", "c", true);
        h = monitor.checkHealth();
        assertThat(h.status()).isEqualTo(Status.FAILED);
        assertThat(h.reasons()).contains("link b->c has failed");
        assertThat(h.topologyVersion()).isEqualTo(nav.snapshot().version());
    }

    @Test
    void monitorReportsConstraintViolationsOfItsRequest() {
        Navigator nav = new Navigator(diamond(1));
        RoutingRequest req = RoutingRequest.of("a", "d").withConstraints(PathConstraints.NONE.withMaxLatency(3.2));
        Path p = nav.findPath(req).path().orElseThrow();
        RouteMonitor monitor = nav.createRouteMonitor(p, req, MonitorThresholds.DEFAULT);
        nav.updateEdgeMetrics("a", "b", new EdgeMetrics(1.3, 100, 0.99, 1));
        nav.updateEdgeMetrics("b", "c", new EdgeMetrics(1.3, 100, 0.99, 1));
        RouteHealth h = monitor.checkHealth();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reasons()).containsExactly("path latency 3.600 ms exceeds the limit 3.200 ms");
    }

    @Test
    void alternativeAvoidsFailedAndDegradedElements() {
        Navigator nav = new Navigator(diamond(1));
        RoutingRequest req = RoutingRequest.of("a", "d");
        Path p = nav.findPath(req).path().orElseThrow();
        assertThat(p.nodes()).containsExactly("a", "b", "c", "d");

        nav.setEdgeFailed("b", "c", true);
        Path alt = nav.findAlternativePath(p, req).path().orElseThrow();
        assertThat(alt.nodes()).containsExactly("a", "b", "x", "c", "d");
        nav.setEdgeFailed("b", "c", false);

        nav.updateEdgeMetrics("b", "c", new EdgeMetrics(1.6, 100, 0.99, 1));
        alt = nav.findAlternativePath(p, req).path().orElseThrow();
        assertThat(alt.nodes()).containsExactly("a", "b", "x", "c", "d");
        nav.updateEdgeMetrics("b", "c", new EdgeMetrics(1, 100, 0.99, 1));

        // Healthy path: the alternative is the best different path.
        alt = nav.findAlternativePath(p, req).path().orElseThrow();
        assertThat(alt.nodes()).isNotEqualTo(p.nodes());
        assertThat(alt.nodes()).containsExactly("a", "b", "x", "c", "d");

        // A failed destination leaves no alternative, and says so.
        nav.setNodeFailed("d", true);
        RouteResult none = nav.findAlternativePath(p, req);
        assertThat(none).isInstanceOf(RouteResult.NoRoute.class);
        assertThat(((RouteResult.NoRoute) none).kind()).isEqualTo(RouteResult.Kind.UNREACHABLE);
        assertThat(((RouteResult.NoRoute) none).explanation()).contains("destination d has failed");
    }

    @Test
    void loadAwareSteersAroundBusyNodes() {
        Navigator nav = new Navigator(diamond(1));
        RoutingRequest req = RoutingRequest.of("a", "d").withGoal(OptimizationGoal.LOAD_AWARE);
        assertThat(nav.findPath(req).path().orElseThrow().nodes()).containsExactly("a", "b", "c", "d");
        nav.updateNodeLoad("c", 9.9);
        // every route to d enters c; the penalty is the same for all, so the route stays
        assertThat(nav.findPath(req).path().orElseThrow().nodes()).containsExactly("a", "b", "c", "d");
        NetworkGraph g = diamond(1);
        g.addBidirectionalEdge("a", "x", new EdgeMetrics(2, 100, 0.99, 1));
        g.addNode("b", new NodeMetadata(10, 9.5));
        nav.updateTopology(g);
        assertThat(nav.findPath(req).path().orElseThrow().nodes()).containsExactly("a", "x", "c", "d");
        assertThat(nav.findPath(req.withGoal(OptimizationGoal.MINIMIZE_LATENCY)).path().orElseThrow().nodes())
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void noRouteSaysWhichConstraintExcludedTheCandidates() {
        Navigator nav = new Navigator(diamond(1));
        RouteResult r = nav.findPath(RoutingRequest.of("a", "d")
                .withConstraints(PathConstraints.NONE.withMaxLatency(2.5)));
        assertThat(r).isInstanceOf(RouteResult.NoRoute.class);
        RouteResult.NoRoute nr = (RouteResult.NoRoute) r;
        assertThat(nr.kind()).isEqualTo(RouteResult.Kind.CONSTRAINT);
        assertThat(nr.excludedBy()).containsExactly(Constraint.MAX_LATENCY);
        assertThat(nr.explanation()).isEqualTo("no path is within 2.500 ms: the fastest takes 3.000 ms");
        assertThat(nr.bestCandidate().orElseThrow().nodes()).containsExactly("a", "b", "c", "d");

        nr = (RouteResult.NoRoute) nav.findPath(RoutingRequest.of("a", "d")
                .withConstraints(PathConstraints.NONE.withMinBandwidth(500)));
        assertThat(nr.excludedBy()).containsExactly(Constraint.MIN_BANDWIDTH);

        nav.setNodeFailed("c", true);
        nr = (RouteResult.NoRoute) nav.findPath(RoutingRequest.of("a", "d"));
        assertThat(nr.kind()).isEqualTo(RouteResult.Kind.UNREACHABLE);
        assertThat(nr.bestCandidate()).isEmpty();
    }

    @Test
    void searchLimitIsReportedNotExceeded() {
        // A grid with hop and latency limits: many labels. A tiny budget must stop the search.
        NetworkGraph g = new NetworkGraph();
        int side = 12;
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < side * side; i++) {
            g.addNode("g" + i, NodeMetadata.idle());
        }
        for (int i = 0; i < side * side; i++) {
            if (i % side + 1 < side) {
                g.addBidirectionalEdge("g" + i, "g" + (i + 1), new EdgeMetrics(r.nextInt(10), 10, 1, r.nextInt(10)));
            }
            if (i + side < side * side) {
                g.addBidirectionalEdge("g" + i, "g" + (i + side), new EdgeMetrics(r.nextInt(10), 10, 1, r.nextInt(10)));
            }
        }
        Navigator big = new Navigator(g);
        String dst = "g" + (side * side - 1);
        double cheapestLatency = big.findPath(RoutingRequest.of("g0", dst).withGoal(OptimizationGoal.MINIMIZE_COST))
                .path().orElseThrow().totalLatency();
        double fastest = big.findPath(RoutingRequest.of("g0", dst)).path().orElseThrow().totalLatency();
        assertThat(fastest).isLessThan(cheapestLatency);
        // binding: the cheapest path is too slow, the fastest is allowed
        double limit = Math.floor((fastest + cheapestLatency) / 2);
        RoutingRequest req = new RoutingRequest("g0", dst, PathConstraints.NONE.withMaxLatency(limit),
                OptimizationGoal.MINIMIZE_COST);
        Navigator small = new Navigator(new SearchLimits(10));
        small.updateTopology(g);
        RouteResult limited = small.findPath(req);
        RouteResult full = big.findPath(req);
        assertThat(full).isInstanceOf(RouteResult.Found.class);
        assertThat(full.path().orElseThrow().totalLatency()).isLessThanOrEqualTo(limit);
        assertThat(limited).isInstanceOf(RouteResult.NoRoute.class);
        assertThat(((RouteResult.NoRoute) limited).kind()).isEqualTo(RouteResult.Kind.SEARCH_LIMIT);
        ParetoFrontier f = small.findParetoPaths(req, 10);
        assertThat(f.complete()).isFalse();
        assertThat(big.findParetoPaths(req, 1000).complete()).isTrue();
    }

    @Test
    void avoidsNodesAndLinksOnRequest() {
        Navigator nav = new Navigator(diamond(1));
        RoutingRequest req = RoutingRequest.of("a", "d").avoiding(Set.of(), Set.of(new Link("b", "c")));
        assertThat(nav.findPath(req).path().orElseThrow().nodes()).containsExactly("a", "b", "x", "c", "d");
        assertThat(nav.findPath(RoutingRequest.of("a", "d").avoiding(Set.of("b"), Set.of())))
                .isInstanceOf(RouteResult.NoRoute.class);
    }
}
