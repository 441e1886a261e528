package org.aivillage.navigator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.alg.shortestpath.YenKShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shortest-path cost and Yen's k costs agree with JGraphT 1.5.3 on random graphs. */
class JGraphTAgreementTest {

    private record Pair(Navigator nav, Graph<String, DefaultWeightedEdge> ref, int n) {}

    private static Pair randomGraph(long seed, int n, int m, OptimizationGoal goal) {
        Random r = new Random(seed);
        NetworkGraph g = new NetworkGraph();
        Graph<String, DefaultWeightedEdge> ref = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < n; v++) {
            g.addNode("v" + v, NodeMetadata.idle());
            ref.addVertex("v" + v);
        }
        int added = 0;
        while (added < m) {
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            if (a == b || ref.containsEdge("v" + a, "v" + b)) {
                continue;
            }
            // Quantised latencies give many equal-cost paths, the hard case for k-shortest.
            double latency = goal == OptimizationGoal.MINIMIZE_HOPS ? 1 + r.nextInt(100) : r.nextInt(20) * 0.5;
            g.addEdge("v" + a, "v" + b, new EdgeMetrics(latency, 100, 1.0, 1));
            DefaultWeightedEdge e = ref.addEdge("v" + a, "v" + b);
            ref.setEdgeWeight(e, goal == OptimizationGoal.MINIMIZE_HOPS ? 1 : latency);
            added++;
        }
        return new Pair(new Navigator(g), ref, n);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void dijkstraCostsAgree(long seed) {
        Pair p = randomGraph(seed, 400, 2400, OptimizationGoal.MINIMIZE_LATENCY);
        DijkstraShortestPath<String, DefaultWeightedEdge> dijkstra = new DijkstraShortestPath<>(p.ref());
        Random r = new Random(seed * 31);
        for (int q = 0; q < 40; q++) {
            String s = "v" + r.nextInt(p.n());
            String t = "v" + r.nextInt(p.n());
            GraphPath<String, DefaultWeightedEdge> want = dijkstra.getPath(s, t);
            RouteResult got = p.nav().findPath(RoutingRequest.of(s, t));
            if (want == null) {
                assertThat(got).isInstanceOf(RouteResult.NoRoute.class);
            } else {
                assertThat(got.path()).isPresent();
                assertThat(got.path().get().totalLatency()).isCloseTo(want.getWeight(), within(1e-9));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void yenCostsAgree(long seed) {
        for (OptimizationGoal goal : List.of(OptimizationGoal.MINIMIZE_LATENCY, OptimizationGoal.MINIMIZE_HOPS)) {
            Pair p = randomGraph(seed, 300, 1500, goal);
            YenKShortestPath<String, DefaultWeightedEdge> yen = new YenKShortestPath<>(p.ref());
            Random r = new Random(seed * 17);
            for (int q = 0; q < 12; q++) {
                String s = "v" + r.nextInt(p.n());
                String t = "v" + r.nextInt(p.n());
                if (s.equals(t)) {
                    continue;
                }
                List<Double> want = yen.getPaths(s, t, 10).stream().map(GraphPath::getWeight).toList();
                List<Path> paths = p.nav().findKShortestPaths(
                        RoutingRequest.of(s, t).withGoal(goal), 10);
                List<Double> got = paths.stream()
                        .map(x -> goal == OptimizationGoal.MINIMIZE_HOPS ? (double) x.hops() : x.totalLatency())
                        .toList();
                assertThat(got).as("%s %s->%s", goal, s, t).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i)).as("%s rank %d", goal, i).isCloseTo(want.get(i), within(1e-9));
                }
                assertThat(paths.stream().map(Path::nodes).distinct().count()).isEqualTo(paths.size());
            }
        }
    }
}
