package org.aivillage.bench.navigator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aivillage.navigator.EdgeMetrics;
import org.aivillage.navigator.NetworkGraph;
import org.aivillage.navigator.NodeMetadata;
import org.aivillage.navigator.OptimizationGoal;
import org.aivillage.navigator.Path;
import org.aivillage.navigator.PathConstraints;
import org.aivillage.navigator.RouteResult;
import org.aivillage.navigator.RoutingRequest;
import org.aivillage.navigator.TopologySnapshot;
import org.aivillage.navigator.Navigator;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.alg.shortestpath.YenKShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The navigator against JGraphT 1.5.3 on the same graphs in the same run: single-pair Dijkstra
 * (lowest latency), Yen's 10 shortest loop-free paths, and our exact constrained search.
 *
 * <p>Both libraries get the same directed graph (both directions of each of the 500,000
 * undirected edges) and the same source/destination pairs, chosen with a fixed seed among
 * connected pairs. Dijkstra and the constrained search take the next of 16 pairs per invocation
 * (a figure is the mean over the pairs); Yen runs the same 4 pairs per invocation for both
 * libraries. JGraphT uses Integer vertices (its cheapest vertex type); we use String node ids as
 * our API does. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class NavigatorBenchmark {
    private static final int NODES = 100_000;
    private static final int EDGES = 500_000;
    private static final int PAIRS = 16;
    private static final int YEN_PAIRS = 4;
    private static final long SEED = 20_240_611L;

    @Param({"geometric", "scalefree"})
    public String graph;

    private TopologySnapshot ours;
    private Graph<Integer, DefaultWeightedEdge> jgrapht;
    private DijkstraShortestPath<Integer, DefaultWeightedEdge> jDijkstra;
    private YenKShortestPath<Integer, DefaultWeightedEdge> jYen;
    private int[] src;
    private int[] dst;
    private RoutingRequest[] fastest;
    private RoutingRequest[] constrained;
    private int nextDijkstra;
    private int nextJDijkstra;
    private int nextConstrained;

    @Setup(Level.Trial)
    public void setup() {
        BenchGraphs.EdgeList g = BenchGraphs.of(graph, NODES, EDGES, SEED);
        long before = usedHeap();
        NetworkGraph ng = new NetworkGraph();
        for (int v = 0; v < g.n(); v++) {
            ng.addNode(id(v), NodeMetadata.idle());
        }
        for (int e = 0; e < g.m(); e++) {
            ng.addBidirectionalEdge(id(g.a()[e]), id(g.b()[e]),
                    new EdgeMetrics(g.latency()[e], g.bandwidth()[e], g.reliability()[e], g.cost()[e]));
        }
        ours = new Navigator(ng).snapshot();
        ng = null;
        long oursBytes = usedHeap() - before;

        before = usedHeap();
        jgrapht = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < g.n(); v++) {
            jgrapht.addVertex(v);
        }
        for (int e = 0; e < g.m(); e++) {
            DefaultWeightedEdge fwd = jgrapht.addEdge(g.a()[e], g.b()[e]);
            jgrapht.setEdgeWeight(fwd, g.latency()[e]);
            DefaultWeightedEdge back = jgrapht.addEdge(g.b()[e], g.a()[e]);
            jgrapht.setEdgeWeight(back, g.latency()[e]);
        }
        long jBytes = usedHeap() - before;
        jDijkstra = new DijkstraShortestPath<>(jgrapht);
        jYen = new YenKShortestPath<>(jgrapht);

        // Pairs that are connected; constrained requests whose latency limit sits halfway between
        // the fastest path and the cheapest path, so the limit binds and the search must work.
        SplittableRandom r = new SplittableRandom(SEED + 1);
        List<int[]> pairs = new ArrayList<>();
        List<RoutingRequest> cons = new ArrayList<>();
        while (pairs.size() < PAIRS) {
            int s = r.nextInt(g.n());
            int t = r.nextInt(g.n());
            if (s == t) {
                continue;
            }
            RoutingRequest fast = RoutingRequest.of(id(s), id(t));
            RouteResult f = ours.findPath(fast);
            if (f.path().isEmpty()) {
                continue;
            }
            Path cheapest = ours.findPath(fast.withGoal(OptimizationGoal.MINIMIZE_COST)).path().orElseThrow();
            double limit = (f.path().get().totalLatency() + cheapest.totalLatency()) / 2;
            pairs.add(new int[] {s, t});
            cons.add(fast.withGoal(OptimizationGoal.MINIMIZE_COST)
                    .withConstraints(PathConstraints.NONE.withMaxLatency(limit)));
        }
        src = pairs.stream().mapToInt(p -> p[0]).toArray();
        dst = pairs.stream().mapToInt(p -> p[1]).toArray();
        fastest = new RoutingRequest[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            fastest[i] = RoutingRequest.of(id(src[i]), id(dst[i]));
        }
        constrained = cons.toArray(new RoutingRequest[0]);
        System.err.printf("navigator bench %s: %d nodes, %d arcs; heap for our snapshot ~%d MB, JGraphT graph ~%d MB%n",
                graph, ours.nodeCount(), ours.edgeCount(), oursBytes >> 20, jBytes >> 20);
        // Agreement check on the pairs (costs only; ties make paths differ).
        for (int i = 0; i < PAIRS; i++) {
            double a = ours.findPath(fastest[i]).path().orElseThrow().totalLatency();
            double b = jDijkstra.getPath(src[i], dst[i]).getWeight();
            if (Math.abs(a - b) > 1e-6 * Math.max(1, b)) {
                throw new IllegalStateException("Dijkstra disagrees on pair " + i + ": " + a + " vs " + b);
            }
        }
    }

    private static String id(int v) {
        return "n" + v;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Benchmark
    public Object dijkstraOurs() {
        int i = nextDijkstra++ % PAIRS;
        return ours.findPath(fastest[i]);
    }

    @Benchmark
    public Object dijkstraJGraphT() {
        int i = nextJDijkstra++ % PAIRS;
        return jDijkstra.getPath(src[i], dst[i]);
    }

    /** Yen's 10 shortest paths for each of the first YEN_PAIRS pairs; the score is per pair. */
    @Benchmark
    @OperationsPerInvocation(YEN_PAIRS)
    public void yen10Ours(Blackhole bh) {
        for (int i = 0; i < YEN_PAIRS; i++) {
            bh.consume(ours.findKShortestPaths(fastest[i], 10));
        }
    }

    /** JGraphT's Yen on the same pairs; slow enough that one invocation fills an iteration. */
    @Benchmark
    @OperationsPerInvocation(YEN_PAIRS)
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 2, time = 1)
    public void yen10JGraphT(Blackhole bh) {
        for (int i = 0; i < YEN_PAIRS; i++) {
            List<GraphPath<Integer, DefaultWeightedEdge>> paths = jYen.getPaths(src[i], dst[i], 10);
            bh.consume(paths);
        }
    }

    @Benchmark
    public Object constrainedOurs() {
        int i = nextConstrained++ % PAIRS;
        return ours.findPath(constrained[i]);
    }
}
