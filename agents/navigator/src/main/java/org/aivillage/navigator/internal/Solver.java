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
    final int src;
    final int dst;
    final PathConstraints pc;
    final double minBw;
    final boolean constrained;
    final int maxLabels;
    boolean limitHit;
    private LabelSearch.Bounds bounds;
    /** A path meeting every constraint, known before the label search (an upper bound), or null. */
    private int[] feasiblePath;
    /** A path found by the Lagrangian step that meets every constraint (an upper bound), or null. */
    int[] feasibleFromLagrange;

    Solver(Ctx c, int src, int dst, PathConstraints pc, int maxLabels) {
        this.c = c;
        this.src = src;
        this.dst = dst;
        this.pc = pc;
        this.minBw = pc.minBandwidthMbps();
        this.constrained = pc.limitsLatency() || pc.limitsReliability() || pc.limitsHops();
        this.maxLabels = maxLabels;
    }

    static Solver of(Ctx c, int src, int dst, OptimizationGoal goal, PathConstraints pc, int maxLabels) {
        return goal == OptimizationGoal.MAXIMIZE_BANDWIDTH
                ? new Widest(c, src, dst, pc, maxLabels)
                : new Additive(c, src, dst, c.g.weights(goal), pc, maxLabels);
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

    /** A limit made a hair looser, so that rounding in reverse sums never cuts off a feasible path. */
    static double loosen(double limit) {
        return limit + Math.abs(limit) * 1e-12 + 1e-12;
    }

    /**
     * Lower bounds for the constrained search, computed once per query. Reverse searches stop at
     * the constraint limits (a node farther than the latency limit from the target can never be
     * used), and, for a single query, at the cost of a known feasible path: the fastest path when
     * it meets every constraint, or the best feasible path met by the Lagrangian step.
     */
    final LabelSearch.Bounds bounds(double[] w, double[] hW) {
        if (bounds != null) {
            return bounds;
        }
        GraphState g = c.g;
        int n = c.s.n;
        double[] hLat = null;
        int[] latSucc = null;
        // With a latency limit L only nodes v with dist(src, v) + dist(v, dst) <= L can be on a
        // feasible path (also for Yen's spurs: a spur's prefix is a path from src). The reverse
        // searches below stay inside that ellipse, which is exact for every node in it.
        boolean[] region = null;
        double latLimit = loosen(pc.maxLatencyMs());
        double[] fromSrc = null;
        if (pc.limitsLatency()) {
            fromSrc = Searches.forwardAll(c, g.latency, src, minBw, latLimit);
            region = new boolean[n];
            for (int v = 0; v < n; v++) {
                region[v] = fromSrc[v] <= latLimit;
            }
        }
        if (pc.limitsLatency() || w == g.latency) {
            if (w == g.latency && hW != null) {
                hLat = hW;
            } else {
                latSucc = new int[n];
                hLat = Searches.reverse(c, g.latency, dst, minBw, latSucc, latLimit, region);
            }
        }
        if (region != null) {
            for (int v = 0; v < n; v++) {
                region[v] = fromSrc[v] + hLat[v] <= latLimit;
            }
        }
        this.region = region;
        double[] hRel = pc.limitsReliability()
                ? Searches.reverseReliability(c, dst, minBw, pc.minReliability() * (1 - 1e-12)) : null;
        int[] hHops = pc.limitsHops() ? Searches.reverseHops(c, dst, minBw, pc.maxHops()) : null;
        // An upper bound from the fastest path, when it meets every constraint.
        double upper = Searches.INF;
        if (singleShot() && latSucc != null && latSucc[src] >= 0) {
            int[] fastest = walk(latSucc, src);
            if (feasible(State.START, fastest)) {
                feasiblePath = fastest;
                upper = sum(w, fastest);
            }
        }
        double[] hCost;
        int[] costSucc = null;
        if (hW != null) {
            hCost = hW;
        } else if (w == g.latency) {
            hCost = hLat;
            costSucc = latSucc;
        } else {
            costSucc = new int[n];
            hCost = Searches.reverse(c, w, dst, minBw, costSucc, loosen(upper), region);
        }
        LabelSearch.Lagrange lg = lagrange(w, hCost, costSucc, hLat, hRel, hHops);
        bounds = new LabelSearch.Bounds(hCost, hLat, hRel, hHops, lg);
        return bounds;
    }

    /** Whether this solver answers one query only (so that bounds may use that query's upper bound). */
    boolean singleShot() {
        return !repeated && this instanceof Additive;
    }

    private boolean repeated;
    /** Nodes that can lie on a latency-feasible path (null without a latency limit). */
    private boolean[] region;

    void markRepeated() {
        repeated = true;
    }

    private int[] walk(int[] succ, int from) {
        int len = 0;
        for (int v = from; v != dst; v = c.s.head[succ[v]]) {
            len++;
        }
        int[] edges = new int[len];
        int i = 0;
        for (int v = from; v != dst; v = c.s.head[succ[v]]) {
            edges[i++] = succ[v];
        }
        return edges;
    }

    /** The prefix's value of the Lagrangian resource. */
    private static double resourceOf(LabelSearch.Lagrange lg, GraphState g, State prefix) {
        if (lg == null) {
            return 0;
        }
        if (lg.res() == g.latency) {
            return prefix.lat();
        }
        if (lg.res() == g.weights(OptimizationGoal.MINIMIZE_HOPS)) {
            return prefix.hops();
        }
        return 0.0 - Math.log(prefix.rel());
    }

    /**
     * LARAC (Jüttner et al., 2001): the Lagrange multiplier of one limited resource that maximises
     * the dual bound, found by a few shortest-path runs from the source on cost + lambda * resource
     * (A* guided by the exact per-criterion distances). The exact reverse distances under that
     * combined weight then bound every label from below (see {@link LabelSearch.Lagrange}); the
     * best feasible path met on the way becomes an upper bound. Null when relaxing would not help.
     */
    private LabelSearch.Lagrange lagrange(double[] w, double[] hCost, int[] costSucc, double[] hLat, double[] hRel,
                                          int[] hHops) {
        GraphState g = c.g;
        double[] negLogRel = g.weights(OptimizationGoal.MAXIMIZE_RELIABILITY);
        double[] ones = g.weights(OptimizationGoal.MINIMIZE_HOPS);
        double[] res;
        double limit;
        double[] hRes = new double[c.s.n];
        if (pc.limitsLatency() && w != g.latency) {
            res = g.latency;
            limit = pc.maxLatencyMs();
            System.arraycopy(hLat, 0, hRes, 0, hRes.length);
        } else if (pc.limitsReliability() && w != negLogRel) {
            res = negLogRel;
            limit = 0.0 - Math.log(pc.minReliability());
            for (int v = 0; v < hRes.length; v++) {
                hRes[v] = hRel[v] > 0 ? Math.max(0, 0.0 - Math.log(hRel[v]) * (1 - 1e-9)) : Searches.INF;
            }
        } else if (pc.limitsHops() && w != ones) {
            res = ones;
            limit = pc.maxHops();
            for (int v = 0; v < hRes.length; v++) {
                hRes[v] = hHops[v] == Integer.MAX_VALUE ? Searches.INF : hHops[v];
            }
        } else {
            return null;
        }
        if (hCost[src] == Searches.INF || hRes[src] == Searches.INF) {
            return null;
        }
        int[] pCheap = costSucc != null && costSucc[src] >= 0 ? walk(costSucc, src) : path(w, null);
        if (pCheap == null || sum(res, pCheap) <= limit) {
            return null;
        }
        int[] pFeasible = path(res, hRes);
        if (pFeasible == null || sum(res, pFeasible) > limit) {
            return null;
        }
        double lambda = 0;
        double[] pot = new double[c.s.n];
        for (int it = 0; it < 40; it++) {
            double lam = (sum(w, pFeasible) - sum(w, pCheap)) / (sum(res, pCheap) - sum(res, pFeasible));
            if (!(lam > 0) || !Double.isFinite(lam)) {
                break;
            }
            lambda = lam;
            double[] wl = combine(w, res, lam);
            for (int v = 0; v < pot.length; v++) {
                pot[v] = hCost[v] == Searches.INF || hRes[v] == Searches.INF ? Searches.INF : hCost[v] + lam * hRes[v];
            }
            int[] r = path(wl, pot);
            if (r == null) {
                break;
            }
            double wr = sum(wl, r);
            double wc = sum(wl, pCheap);
            if (wr >= wc - (Math.abs(wc) * 1e-12 + 1e-12)) {
                break;
            }
            if (sum(res, r) <= limit) {
                pFeasible = r;
            } else {
                pCheap = r;
            }
        }
        double upper = Searches.INF;
        if (singleShot() && feasible(State.START, pFeasible)) {
            double cost = sum(w, pFeasible);
            if (feasiblePath == null || cost < sum(w, feasiblePath)) {
                feasiblePath = pFeasible;
            }
        }
        if (singleShot() && feasiblePath != null) {
            upper = sum(w, feasiblePath);
        }
        if (lambda == 0) {
            return null;
        }
        double[] h = Searches.reverse(c, combine(w, res, lambda), dst, minBw, null,
                loosen(upper + lambda * limit), region);
        return new LabelSearch.Lagrange(res, limit, lambda, h);
    }

    /** Shortest src → dst path by {@code w}; A* when a potential is given (nodes at +Infinity are skipped). */
    private int[] path(double[] w, double[] pot) {
        return Searches.forward(c, w, src, dst, pot, minBw, false) == Searches.INF
                ? null : Searches.treePath(c, src, dst);
    }

    private static double sum(double[] w, int[] edges) {
        double s = 0;
        for (int e : edges) {
            s += w[e];
        }
        return s;
    }

    private static double[] combine(double[] w, double[] res, double lambda) {
        double[] out = new double[w.length];
        for (int e = 0; e < w.length; e++) {
            out[e] = w[e] + lambda * res[e];
        }
        return out;
    }

    final int[] constrainedSearch(double[] objective, double[] hObjective, int from, State prefix, double filterBw,
                                  boolean blocks) {
        LabelSearch.Bounds b = bounds(objective, hObjective);
        // A known feasible path bounds the answer only for the single query on the base graph.
        double upper = Searches.INF;
        if (singleShot() && from == src && !blocks && filterBw == minBw && feasiblePath != null) {
            upper = sum(objective, feasiblePath);
        }
        LabelSearch ls = new LabelSearch(c, objective, pc.maxLatencyMs(), pc.minReliability(), pc.maxHops(),
                b, maxLabels);
        int[] edges = ls.run(from, dst, prefix.cost(), prefix.lat(), prefix.rel(), prefix.hops(),
                resourceOf(b.lagrange(), c.g, prefix), upper, filterBw, blocks);
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

        Additive(Ctx c, int src, int dst, double[] w, PathConstraints pc, int maxLabels) {
            super(c, src, dst, pc, maxLabels);
            this.w = w;
        }

        @Override
        double[] weights() {
            return w;
        }

        @Override
        void prepareForRepeatedUse() {
            markRepeated();
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

        Widest(Ctx c, int src, int dst, PathConstraints pc, int maxLabels) {
            super(c, src, dst, pc, maxLabels);
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
