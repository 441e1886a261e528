package org.aivillage.navigator;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Every goal and constraint mix on random small graphs, against brute-force enumeration of all
 * simple paths: the optimum, Yen's k best, the Pareto frontier and the no-route diagnosis.
 */
class ExactnessPropertiesTest {

    private record Case(SmallGraph g, Navigator nav, int src, int dst, RoutingRequest request,
                        Set<Integer> avoidNodes, Set<Integer> avoidEdges) {}

    private static Case randomCase(long seed, OptimizationGoal goal) {
        SmallGraph g = new SmallGraph(seed, 2, 7);
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int src = r.nextInt(g.n);
        int dst = (src + 1 + r.nextInt(g.n - 1)) % g.n;
        Set<Integer> avoidNodes = new HashSet<>();
        Set<Integer> avoidEdges = new HashSet<>();
        Set<String> avoidNodeIds = new HashSet<>();
        Set<Link> avoidLinks = new HashSet<>();
        if (r.nextInt(4) == 0) {
            int v = r.nextInt(g.n);
            avoidNodeIds.add(SmallGraph.name(v));
            if (v != src && v != dst) {
                avoidNodes.add(v);
            }
        }
        if (r.nextInt(4) == 0 && !g.edges.isEmpty()) {
            int i = r.nextInt(g.edges.size());
            avoidEdges.add(i);
            avoidLinks.add(new Link(SmallGraph.name(g.edges.get(i)[0]), SmallGraph.name(g.edges.get(i)[1])));
        }
        RoutingRequest req = new RoutingRequest(SmallGraph.name(src), SmallGraph.name(dst),
                SmallGraph.randomConstraints(r), goal, avoidNodeIds, avoidLinks);
        return new Case(g, new Navigator(g.build()), src, dst, req, avoidNodes, avoidEdges);
    }

    /** The path uses existing usable edges in a loop-free way and matches its own totals. */
    private static void assertValid(Case c, Path p) {
        assertThat(p.source()).isEqualTo(SmallGraph.name(c.src()));
        assertThat(p.destination()).isEqualTo(SmallGraph.name(c.dst()));
        assertThat(new HashSet<>(p.nodes())).hasSize(p.nodes().size());
        for (int k = 0; k + 1 < p.nodes().size(); k++) {
            int i = c.g().edgeIndex(p.nodes().get(k), p.nodes().get(k + 1));
            assertThat(c.g().usable(i)).as("edge %s usable", i).isTrue();
            assertThat(c.avoidEdges()).doesNotContain(i);
            assertThat(p.links().get(k)).isEqualTo(c.g().metrics.get(i));
        }
        for (int k = 1; k + 1 < p.nodes().size(); k++) {
            assertThat(c.avoidNodes()).doesNotContain(Integer.parseInt(p.nodes().get(k).substring(1)));
        }
    }

    private static void checkFindPath(long seed, OptimizationGoal goal) {
        Case c = randomCase(seed, goal);
        PathConstraints pc = c.request().constraints();
        List<SmallGraph.P> all = c.g().allPaths(c.src(), c.dst(), c.avoidNodes(), c.avoidEdges());
        List<SmallGraph.P> feasible = all.stream().filter(p -> SmallGraph.feasible(p, pc)).toList();
        RouteResult result = c.nav().findPath(c.request());
        if (feasible.isEmpty()) {
            assertThat(result).as("seed %d goal %s", seed, goal).isInstanceOf(RouteResult.NoRoute.class);
            RouteResult.NoRoute nr = (RouteResult.NoRoute) result;
            if (all.isEmpty()) {
                assertThat(nr.kind()).isEqualTo(RouteResult.Kind.UNREACHABLE);
                return;
            }
            List<SmallGraph.P> wide = all.stream().filter(p -> p.bottleneck() >= pc.minBandwidthMbps()).toList();
            if (wide.isEmpty()) {
                assertThat(nr.kind()).isEqualTo(RouteResult.Kind.CONSTRAINT);
                assertThat(nr.excludedBy()).containsExactly(Constraint.MIN_BANDWIDTH);
                return;
            }
            EnumSet<Constraint> alone = EnumSet.noneOf(Constraint.class);
            if (wide.stream().allMatch(p -> p.latency() > pc.maxLatencyMs())) {
                alone.add(Constraint.MAX_LATENCY);
            }
            if (wide.stream().allMatch(p -> p.reliability() < pc.minReliability())) {
                alone.add(Constraint.MIN_RELIABILITY);
            }
            if (wide.stream().allMatch(p -> p.hops() > pc.maxHops())) {
                alone.add(Constraint.MAX_HOPS);
            }
            assertThat(nr.bestCandidate()).isPresent();
            if (!alone.isEmpty()) {
                assertThat(nr.kind()).as("seed %d", seed).isEqualTo(RouteResult.Kind.CONSTRAINT);
                assertThat(nr.excludedBy()).isEqualTo(alone);
            } else {
                assertThat(nr.kind()).as("seed %d", seed).isEqualTo(RouteResult.Kind.CONSTRAINTS_COMBINED);
                assertThat(nr.excludedBy()).isNotEmpty()
                        .isEqualTo(pc.violatedBy(nr.bestCandidate().get()))
                        .doesNotContain(Constraint.MIN_BANDWIDTH);
            }
            return;
        }
        assertThat(result).as("seed %d goal %s", seed, goal).isInstanceOf(RouteResult.Found.class);
        Path p = result.path().orElseThrow();
        assertValid(c, p);
        assertThat(pc.isSatisfiedBy(p)).as("seed %d goal %s constraints %s path %s", seed, goal, pc, p).isTrue();
        double[] best = feasible.stream().map(x -> c.g().key(goal, x)).min(SmallGraph::compare).orElseThrow();
        double[] got = c.g().key(goal, p);
        assertThat(SmallGraph.close(got, best))
                .as("seed %d goal %s: got %s want %s (%s)", seed, goal, java.util.Arrays.toString(got),
                        java.util.Arrays.toString(best), p)
                .isTrue();
    }

    private static void checkKShortest(long seed, OptimizationGoal goal) {
        Case c = randomCase(seed, goal);
        int k = 1 + new Random(seed).nextInt(8);
        PathConstraints pc = c.request().constraints();
        List<double[]> want = c.g().allPaths(c.src(), c.dst(), c.avoidNodes(), c.avoidEdges()).stream()
                .filter(p -> SmallGraph.feasible(p, pc)).map(p -> c.g().key(goal, p))
                .sorted(SmallGraph::compare).limit(k).toList();
        List<Path> got = c.nav().findKShortestPaths(c.request(), k);
        assertThat(got).as("seed %d goal %s k %d", seed, goal, k).hasSize(want.size());
        Set<List<String>> distinct = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
            Path p = got.get(i);
            assertValid(c, p);
            assertThat(pc.isSatisfiedBy(p)).isTrue();
            assertThat(distinct.add(p.nodes())).as("distinct").isTrue();
            double[] key = c.g().key(goal, p);
            assertThat(SmallGraph.close(key, want.get(i)))
                    .as("seed %d goal %s rank %d: got %s want %s", seed, goal, i, java.util.Arrays.toString(key),
                            java.util.Arrays.toString(want.get(i)))
                    .isTrue();
        }
    }

    @Test
    void minimizeLatency() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::minimizeLatencyCase);
    }

    private void minimizeLatencyCase(long seed) {
        checkFindPath(seed, OptimizationGoal.MINIMIZE_LATENCY);
        checkKShortest(seed, OptimizationGoal.MINIMIZE_LATENCY);
    }

    @Test
    void minimizeCost() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::minimizeCostCase);
    }

    private void minimizeCostCase(long seed) {
        checkFindPath(seed, OptimizationGoal.MINIMIZE_COST);
        checkKShortest(seed, OptimizationGoal.MINIMIZE_COST);
    }

    @Test
    void maximizeReliability() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::maximizeReliabilityCase);
    }

    private void maximizeReliabilityCase(long seed) {
        checkFindPath(seed, OptimizationGoal.MAXIMIZE_RELIABILITY);
        checkKShortest(seed, OptimizationGoal.MAXIMIZE_RELIABILITY);
    }

    @Test
    void maximizeBandwidth() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::maximizeBandwidthCase);
    }

    private void maximizeBandwidthCase(long seed) {
        checkFindPath(seed, OptimizationGoal.MAXIMIZE_BANDWIDTH);
        checkKShortest(seed, OptimizationGoal.MAXIMIZE_BANDWIDTH);
    }

    @Test
    void minimizeHops() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::minimizeHopsCase);
    }

    private void minimizeHopsCase(long seed) {
        checkFindPath(seed, OptimizationGoal.MINIMIZE_HOPS);
        checkKShortest(seed, OptimizationGoal.MINIMIZE_HOPS);
    }

    @Test
    void balanced() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::balancedCase);
    }

    private void balancedCase(long seed) {
        checkFindPath(seed, OptimizationGoal.BALANCED);
        checkKShortest(seed, OptimizationGoal.BALANCED);
    }

    @Test
    void loadAware() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::loadAwareCase);
    }

    private void loadAwareCase(long seed) {
        checkFindPath(seed, OptimizationGoal.LOAD_AWARE);
        checkKShortest(seed, OptimizationGoal.LOAD_AWARE);
    }

    @Test
    void paretoFrontierIsExact() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::paretoFrontierIsExactCase);
    }

    private void paretoFrontierIsExactCase(long seed) {
        Case c = randomCase(seed, OptimizationGoal.MINIMIZE_LATENCY);
        PathConstraints pc = c.request().constraints();
        List<SmallGraph.P> feasible = c.g().allPaths(c.src(), c.dst(), c.avoidNodes(), c.avoidEdges()).stream()
                .filter(p -> SmallGraph.feasible(p, pc)).toList();
        Set<List<Double>> want = new HashSet<>();
        for (SmallGraph.P p : feasible) {
            boolean dominated = feasible.stream().anyMatch(q -> q.latency() <= p.latency() && q.cost() <= p.cost()
                    && q.reliability() >= p.reliability()
                    && (q.latency() < p.latency() || q.cost() < p.cost() || q.reliability() > p.reliability()));
            if (!dominated) {
                want.add(List.of(p.latency(), p.cost(), p.reliability()));
            }
        }
        ParetoFrontier f = c.nav().findParetoPaths(c.request(), 1000);
        assertThat(f.complete()).isTrue();
        assertThat(f.truncated()).isFalse();
        List<List<Double>> got = new ArrayList<>();
        for (Path p : f.paths()) {
            assertValid(c, p);
            assertThat(pc.isSatisfiedBy(p)).isTrue();
            got.add(List.of(p.totalLatency(), p.totalCost(), p.reliability()));
        }
        assertThat(got).as("seed %d", seed).doesNotHaveDuplicates();
        assertThat(new HashSet<>(got)).as("seed %d", seed).isEqualTo(want);
        if (want.size() > 2) {
            ParetoFrontier small = c.nav().findParetoPaths(c.request(), 2);
            assertThat(small.truncated()).isTrue();
            assertThat(small.paths()).hasSize(2);
        }
    }
}
