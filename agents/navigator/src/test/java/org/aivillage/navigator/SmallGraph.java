package org.aivillage.navigator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small random graph and a brute-force oracle: every simple path is enumerated and scored
 * straight from the definitions in docs/navigator.md, independently of the navigator's code.
 */
final class SmallGraph {
    static final double[] RELIABILITIES = {0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
    static final double[] BANDWIDTHS = {1, 5, 10, 50, 100};

    final int n;
    final double[] capacity;
    final double[] load;
    final boolean[] nodeFailed;
    final List<int[]> edges = new ArrayList<>();
    final List<EdgeMetrics> metrics = new ArrayList<>();
    final List<Boolean> edgeFailed = new ArrayList<>();

    SmallGraph(long seed, int minNodes, int maxNodes) {
        Random r = new Random(seed);
        n = minNodes + r.nextInt(maxNodes - minNodes + 1);
        capacity = new double[n];
        load = new double[n];
        nodeFailed = new boolean[n];
        for (int v = 0; v < n; v++) {
            capacity[v] = 1 + r.nextInt(10);
            load[v] = r.nextInt(12);
            nodeFailed[v] = r.nextInt(12) == 0;
        }
        double density = 0.25 + r.nextDouble() * 0.6;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && r.nextDouble() < density) {
                    double rel = r.nextInt(25) == 0 ? 0 : RELIABILITIES[r.nextInt(RELIABILITIES.length)];
                    double bw = r.nextInt(25) == 0 ? 0 : BANDWIDTHS[r.nextInt(BANDWIDTHS.length)];
                    edges.add(new int[] {a, b});
                    metrics.add(new EdgeMetrics(r.nextInt(11), bw, rel, r.nextInt(6)));
                    edgeFailed.add(r.nextInt(15) == 0);
                }
            }
        }
    }

    static String name(int v) {
        return "n" + v;
    }

    NetworkGraph build() {
        NetworkGraph g = new NetworkGraph();
        for (int v = 0; v < n; v++) {
            g.addNode(name(v), new NodeMetadata(capacity[v], load[v]));
            g.setNodeFailed(name(v), nodeFailed[v]);
        }
        for (int i = 0; i < edges.size(); i++) {
            int[] e = edges.get(i);
            g.addEdge(name(e[0]), name(e[1]), metrics.get(i));
            g.setEdgeFailed(name(e[0]), name(e[1]), edgeFailed.get(i));
        }
        return g;
    }

    boolean usable(int i) {
        int[] e = edges.get(i);
        EdgeMetrics m = metrics.get(i);
        return !edgeFailed.get(i) && !nodeFailed[e[0]] && !nodeFailed[e[1]] && m.reliability() > 0
                && m.bandwidthMbps() > 0;
    }

    /** A simple path as edge indices, with its totals summed in path order. */
    record P(List<Integer> edges, List<String> nodes, double latency, double cost, double bottleneck,
             double reliability, int hops) {}

    /** Every simple src → dst path over usable edges, avoiding the given nodes (not endpoints) and links. */
    List<P> allPaths(int src, int dst, java.util.Set<Integer> avoidNodes, java.util.Set<Integer> avoidEdges) {
        List<P> out = new ArrayList<>();
        boolean[] onPath = new boolean[n];
        onPath[src] = true;
        dfs(src, dst, onPath, new ArrayList<>(), avoidNodes, avoidEdges, out);
        return out;
    }

    private void dfs(int v, int dst, boolean[] onPath, List<Integer> stack, java.util.Set<Integer> avoidNodes,
                     java.util.Set<Integer> avoidEdges, List<P> out) {
        if (v == dst) {
            List<String> nodes = new ArrayList<>();
            int cur = stack.isEmpty() ? v : edges.get(stack.getFirst())[0];
            nodes.add(name(cur));
            double lat = 0, cost = 0, bn = Double.POSITIVE_INFINITY, rel = 1;
            for (int i : stack) {
                EdgeMetrics m = metrics.get(i);
                lat += m.latencyMs();
                cost += m.cost();
                bn = Math.min(bn, m.bandwidthMbps());
                rel *= m.reliability();
                nodes.add(name(edges.get(i)[1]));
            }
            out.add(new P(List.copyOf(stack), nodes, lat, cost, bn, rel, stack.size()));
            return;
        }
        for (int i = 0; i < edges.size(); i++) {
            int[] e = edges.get(i);
            if (e[0] != v || !usable(i) || onPath[e[1]] || avoidEdges.contains(i)
                    || (avoidNodes.contains(e[1]) && e[1] != dst)) {
                continue;
            }
            onPath[e[1]] = true;
            stack.add(i);
            dfs(e[1], dst, onPath, stack, avoidNodes, avoidEdges, out);
            stack.removeLast();
            onPath[e[1]] = false;
        }
    }

    static boolean feasible(P p, PathConstraints c) {
        return p.latency() <= c.maxLatencyMs() && p.bottleneck() >= c.minBandwidthMbps()
                && p.reliability() >= c.minReliability() && p.hops() <= c.maxHops();
    }

    private double mean(java.util.function.ToDoubleFunction<Integer> f) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < edges.size(); i++) {
            if (usable(i)) {
                sum += f.applyAsDouble(i);
                count++;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        return mean > 0 ? mean : 1;
    }

    /** Per-edge weight of an additive goal, from the documented formulas. */
    double weight(OptimizationGoal goal, int i) {
        EdgeMetrics m = metrics.get(i);
        return switch (goal) {
            case MINIMIZE_LATENCY -> m.latencyMs();
            case MINIMIZE_COST -> m.cost();
            case MINIMIZE_HOPS -> 1;
            case MAXIMIZE_RELIABILITY -> -Math.log(m.reliability());
            case BALANCED -> 0.4 * m.latencyMs() / mean(j -> metrics.get(j).latencyMs())
                    + 0.2 * m.cost() / mean(j -> metrics.get(j).cost())
                    + 0.3 * -Math.log(m.reliability()) / mean(j -> -Math.log(metrics.get(j).reliability()))
                    + 0.1 * mean(j -> metrics.get(j).bandwidthMbps()) / m.bandwidthMbps();
            case LOAD_AWARE -> {
                int head = edges.get(i)[1];
                double rho = load[head] / capacity[head];
                double q = rho <= 0.9 ? rho / (1 - rho) : 9 + 100 * (rho - 0.9);
                yield m.latencyMs() + mean(j -> metrics.get(j).latencyMs()) * q;
            }
            case MAXIMIZE_BANDWIDTH -> throw new IllegalArgumentException("not additive");
        };
    }

    /** Sort key of a path for a goal: smaller is better; widest is (-bottleneck, latency). */
    double[] key(OptimizationGoal goal, P p) {
        if (goal == OptimizationGoal.MAXIMIZE_BANDWIDTH) {
            return new double[] {-p.bottleneck(), p.latency()};
        }
        double s = 0;
        for (int i : p.edges()) {
            s += weight(goal, i);
        }
        return new double[] {s, 0};
    }

    /** The same key for a navigator path (edges looked up by node pairs). */
    double[] key(OptimizationGoal goal, Path path) {
        List<Integer> es = new ArrayList<>();
        for (int k = 0; k + 1 < path.nodes().size(); k++) {
            es.add(edgeIndex(path.nodes().get(k), path.nodes().get(k + 1)));
        }
        return key(goal, new P(es, path.nodes(), path.totalLatency(), path.totalCost(), path.bottleneckBandwidth(),
                path.reliability(), path.hops()));
    }

    int edgeIndex(String from, String to) {
        for (int i = 0; i < edges.size(); i++) {
            int[] e = edges.get(i);
            if (name(e[0]).equals(from) && name(e[1]).equals(to)) {
                return i;
            }
        }
        throw new AssertionError("no edge " + from + "->" + to);
    }

    static int compare(double[] a, double[] b) {
        int x = Double.compare(a[0], b[0]);
        return x != 0 ? x : Double.compare(a[1], b[1]);
    }

    static boolean close(double a, double b) {
        return a == b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    static boolean close(double[] a, double[] b) {
        return close(a[0], b[0]) && close(a[1], b[1]);
    }

    static PathConstraints randomConstraints(Random r) {
        PathConstraints c = PathConstraints.NONE;
        if (r.nextBoolean()) {
            c = c.withMaxLatency(r.nextInt(30));
        }
        if (r.nextInt(3) == 0) {
            c = c.withMinBandwidth(BANDWIDTHS[r.nextInt(BANDWIDTHS.length)]);
        }
        if (r.nextInt(3) == 0) {
            c = c.withMinReliability(0.3 + r.nextInt(7) * 0.1);
        }
        if (r.nextInt(3) == 0) {
            c = c.withMaxHops(r.nextInt(6));
        }
        return c;
    }
}
