package org.aivillage.navigator.internal;

import java.util.Arrays;
import org.aivillage.navigator.OptimizationGoal;
import org.aivillage.navigator.PathConstraints;

/**
 * Finds the best continuation from a node to the query's destination given the totals of a prefix
 * (Yen's root path; zero for a plain query), honouring every constraint. One subclass per kind of
 * objective: additive (a sum of edge weights) and widest (bottleneck bandwidth, then latency).
 */
abstract sealed class Solver {

    /** Totals of a path prefix. */
    record State(double cost, double lat, double rel, int hops, double bottleneck) {
        static final State START = new State(0, 0, 1, 0, Double.POSITIVE_INFINITY);

        State plus(GraphState g, double[] w, int e) {
            return new State(cost + (w == null ? 0 : w[e]), lat + g.latency[e], rel * g.reliability[e], hops + 1,
                    Math.min(bottleneck, g.bandwidth[e]));
        }
    }

    final Ctx c;
    final int dst;
    final PathConstraints pc;
    final double minBw;
    final boolean constrained;
    final int maxLabels;
    boolean limitHit;
    private LabelSearch.Bounds bounds;

    Solver(Ctx c, int dst, PathConstraints pc, int maxLabels) {
        this.c = c;
        this.dst = dst;
        this.pc = pc;
        this.minBw = pc.minBandwidthMbps();
        this.constrained = pc.limitsLatency() || pc.limitsReliability() || pc.limitsHops();
        this.maxLabels = maxLabels;
    }

    static Solver of(Ctx c, int dst, OptimizationGoal goal, PathConstraints pc, int maxLabels) {
        return goal == OptimizationGoal.MAXIMIZE_BANDWIDTH
                ? new Widest(c, dst, pc, maxLabels)
                : new Additive(c, dst, c.g.weights(goal), pc, maxLabels);
    }

    /** Additive weights that order paths (null for widest, which orders by bottleneck then latency). */
    abstract double[] weights();

    /**
     * The best feasible continuation from {@code from}, or null. With {@code blocks}, Yen's blocked
     * nodes and edges in the workspace are avoided.
     */
    abstract int[] best(int from, State prefix, boolean blocks);

    /** Prepares for many calls (Yen): computes what every call can share. */
    void prepareForRepeatedUse() {}

    /** Whether prefix + edges meets the latency, reliability and hop limits (summed in path order). */
    final boolean feasible(State prefix, int[] edges) {
        if (!constrained) {
            return true;
        }
        double lat = prefix.lat();
        double rel = prefix.rel();
        for (int e : edges) {
            lat += c.g.latency[e];
            rel *= c.g.reliability[e];
        }
        return lat <= pc.maxLatencyMs() && rel >= pc.minReliability()
                && (long) prefix.hops() + edges.length <= pc.maxHops();
    }

    final LabelSearch.Bounds bounds(double[] objective, double[] hObjective) {
        if (bounds == null) {
            double[] hLat = pc.limitsLatency() || objective == c.g.latency
                    ? (objective == c.g.latency && hObjective != null ? hObjective
                            : Searches.reverse(c, c.g.latency, dst, minBw, null))
                    : null;
            double[] hCost = hObjective != null ? hObjective
                    : objective == c.g.latency ? hLat : Searches.reverse(c, objective, dst, minBw, null);
            double[] hRel = pc.limitsReliability() ? Searches.reverseReliability(c, dst, minBw) : null;
            int[] hHops = pc.limitsHops() ? Searches.reverseHops(c, dst, minBw) : null;
            bounds = new LabelSearch.Bounds(hCost, hLat, hRel, hHops);
        }
        return bounds;
    }

    final int[] constrainedSearch(double[] objective, double[] hObjective, int from, State prefix, double filterBw,
                                  boolean blocks) {
        LabelSearch ls = new LabelSearch(c, objective, pc.maxLatencyMs(), pc.minReliability(), pc.maxHops(),
                bounds(objective, hObjective), maxLabels);
        int[] edges = ls.run(from, dst, prefix.cost(), prefix.lat(), prefix.rel(), prefix.hops(), filterBw, blocks);
        if (ls.limitHit) {
            limitHit = true;
        }
        return edges;
    }

    /** Sum of an objective: a plain sum of edge weights. */
    static final class Additive extends Solver {
        private final double[] w;
        private double[] h;
        private int[] succ;

        Additive(Ctx c, int dst, double[] w, PathConstraints pc, int maxLabels) {
            super(c, dst, pc, maxLabels);
            this.w = w;
        }

        @Override
        double[] weights() {
            return w;
        }

        @Override
        void prepareForRepeatedUse() {
            if (h == null) {
                succ = new int[c.s.n];
                h = Searches.reverse(c, w, dst, minBw, succ);
            }
        }

        @Override
        int[] best(int from, State prefix, boolean blocks) {
            if (from == dst) {
                return new int[0];
            }
            int[] edges = h == null ? null : treeWalk(from, blocks);
            if (edges == null) {
                double d = Searches.forward(c, w, from, dst, h, minBw, blocks);
                if (d == Searches.INF) {
                    return null;
                }
                edges = Searches.treePath(c, from, dst);
            }
            if (feasible(prefix, edges)) {
                return edges;
            }
            return constrainedSearch(w, h, from, prefix, minBw, blocks);
        }

        /** The shortest-path-tree path from {@code from}, if it avoids every block. */
        private int[] treeWalk(int from, boolean blocks) {
            if (h[from] == Searches.INF) {
                return null;
            }
            Workspace ws = c.ws;
            int bg = ws.blockGen;
            int len = 0;
            for (int v = from; v != dst; ) {
                int e = succ[v];
                int u = c.s.head[e];
                if (blocks && (ws.blockedEdge[e] == bg || ws.blockedNode[u] == bg)) {
                    return null;
                }
                len++;
                v = u;
            }
            int[] edges = new int[len];
            int i = 0;
            for (int v = from; v != dst; v = c.s.head[succ[v]]) {
                edges[i++] = succ[v];
            }
            return edges;
        }
    }

    /** Widest path: the largest bottleneck bandwidth, and among those the smallest latency. */
    static final class Widest extends Solver {
        /** Distinct bandwidths of allowed edges at or above the floor, ascending. */
        private double[] thresholds;

        Widest(Ctx c, int dst, PathConstraints pc, int maxLabels) {
            super(c, dst, pc, maxLabels);
        }

        @Override
        double[] weights() {
            return null;
        }

        @Override
        int[] best(int from, State prefix, boolean blocks) {
            if (from == dst) {
                return new int[0];
            }
            double widest = Searches.widest(c, from, dst, minBw, blocks);
            if (widest < 0) {
                return null;
            }
            double tau = Math.min(prefix.bottleneck(), widest);
            Searches.forward(c, c.g.latency, from, dst, null, tau, blocks);
            int[] edges = Searches.treePath(c, from, dst);
            if (feasible(prefix, edges)) {
                return edges;
            }
            // Feasibility only grows as the bandwidth floor falls: binary search for the highest
            // floor at which a constrained path still exists; its best path is the answer.
            double[] t = thresholds();
            int hi = upperIndex(t, tau);
            int[] found = constrainedSearch(c.g.latency, null, from, prefix, t[0], blocks);
            if (found == null) {
                return null;
            }
            int lo = 0;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                int[] p = constrainedSearch(c.g.latency, null, from, prefix, t[mid], blocks);
                if (p != null) {
                    lo = mid;
                    found = p;
                } else {
                    if (limitHit) {
                        return null;
                    }
                    hi = mid - 1;
                }
            }
            return found;
        }

        private double[] thresholds() {
            if (thresholds == null) {
                double[] all = new double[c.s.m];
                int k = 0;
                for (int e = 0; e < c.s.m; e++) {
                    if (c.allowed[e] && c.g.bandwidth[e] >= minBw) {
                        all[k++] = c.g.bandwidth[e];
                    }
                }
                Arrays.sort(all, 0, k);
                int d = 0;
                for (int i = 0; i < k; i++) {
                    if (d == 0 || all[i] != all[d - 1]) {
                        all[d++] = all[i];
                    }
                }
                thresholds = Arrays.copyOf(all, d);
            }
            return thresholds;
        }

        /** Index of the largest threshold &lt;= x (thresholds hold every allowed bandwidth, so one exists). */
        private static int upperIndex(double[] t, double x) {
            int i = Arrays.binarySearch(t, x);
            return i >= 0 ? i : -i - 2;
        }
    }
}
