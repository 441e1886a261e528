package org.aivillage.navigator.internal;

import java.util.Arrays;

/**
 * Exact resource-constrained shortest path: label-setting A* over labels (cost, latency,
 * reliability, hops) with dominance pruning and lower-bound pruning.
 *
 * <p>A label at node v is dropped when another label at v is at least as good in the objective and
 * in every constrained resource, or when even the best completion (exact per-resource distances to
 * the target, computed on a supergraph) would break a constraint. Labels are expanded in order of
 * cost + (exact remaining cost), so the first label taken at the target is optimal. Cycles are
 * never kept: a label that returns to a node is dominated by its own ancestor there.
 */
final class LabelSearch {
    /** Relative slack on lower-bound pruning so that rounding never drops a feasible path. */
    private static final double SLACK = 1e-12;

    /** Per-resource distances to the target, valid for the allowed graph and every subgraph of it. */
    record Bounds(double[] hCost, double[] hLat, double[] hRel, int[] hHops, Lagrange lagrange) {}

    /**
     * Lagrangian relaxation of one limited resource (sum of {@code res[e]} at most {@code limit}):
     * {@code h[v]} is the exact distance from v to the target under weights cost + lambda * res.
     * For a label with cost c and resource r at v, every feasible completion costs at least
     * c + h[v] - lambda * (limit - r): a lower bound that couples cost and resource, consistent
     * along edges, and never above c at the target.
     */
    record Lagrange(double[] res, double limit, double lambda, double[] h) {}

    private final Ctx c;
    private final double[] w;
    private final double maxLat;
    private final double minRel;
    private final int maxHops;
    private final boolean tl;
    private final boolean tr;
    private final boolean th;
    private final Bounds b;
    private final int maxLabels;
    boolean limitHit;

    private int count;
    private int[] lNode = new int[256];
    private int[] lPrev = new int[256];
    private int[] lEdge = new int[256];
    private int[] lNext = new int[256];
    private double[] lCost = new double[256];
    private double[] lLat = new double[256];
    private double[] lRel = new double[256];
    private int[] lHops = new int[256];
    private double[] lRes = new double[256];
    private boolean[] lDead = new boolean[256];

    LabelSearch(Ctx c, double[] w, double maxLat, double minRel, int maxHops, Bounds b, int maxLabels) {
        this.c = c;
        this.w = w;
        this.maxLat = maxLat;
        this.minRel = minRel;
        this.maxHops = maxHops;
        this.tl = maxLat != Double.POSITIVE_INFINITY;
        this.tr = minRel > 0;
        this.th = maxHops != Integer.MAX_VALUE;
        this.b = b;
        this.maxLabels = maxLabels;
    }

    private int newLabel(int node, int prev, int edge, double cost, double lat, double rel, int hops) {
        if (count == lNode.length) {
            int cap = count * 2;
            lNode = Arrays.copyOf(lNode, cap);
            lPrev = Arrays.copyOf(lPrev, cap);
            lEdge = Arrays.copyOf(lEdge, cap);
            lNext = Arrays.copyOf(lNext, cap);
            lCost = Arrays.copyOf(lCost, cap);
            lLat = Arrays.copyOf(lLat, cap);
            lRel = Arrays.copyOf(lRel, cap);
            lHops = Arrays.copyOf(lHops, cap);
            lRes = Arrays.copyOf(lRes, cap);
            lDead = Arrays.copyOf(lDead, cap);
        }
        int id = count++;
        lNode[id] = node;
        lPrev[id] = prev;
        lEdge[id] = edge;
        lCost[id] = cost;
        lLat[id] = lat;
        lRel[id] = rel;
        lHops[id] = hops;
        lDead[id] = false;
        return id;
    }

    /**
     * The cheapest path from {@code from} to {@code target} that, appended to a prefix with the given
     * totals, meets every constraint; its edges, or null. Edges must be allowed and carry at least
     * {@code minBw}; when {@code blocks}, the workspace's blocked nodes and edges are avoided.
     * {@code res0} is the prefix's value of the Lagrangian resource (if any); labels whose lower
     * bound exceeds {@code upperBound} (the cost of a known feasible path) are not kept.
     */
    int[] run(int from, int target, double cost0, double lat0, double rel0, int hops0, double res0,
              double upperBound, double minBw, boolean blocks) {
        count = 0;
        limitHit = false;
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        int bg = ws.blockGen;
        int[] nodeHead = ws.predEdge;
        int[] seen = ws.seen;
        int[] outStart = c.s.outStart;
        int[] head = c.s.head;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        double[] lat = c.g.latency;
        double[] rel = c.g.reliability;
        double[] hCost = b.hCost();
        double latLimit = maxLat + Math.abs(maxLat) * SLACK + SLACK;
        double relLimit = minRel * (1 - SLACK);
        Lagrange lg = b.lagrange();
        double lambda = lg == null ? 0 : lg.lambda();
        double[] res = lg == null ? null : lg.res();
        double[] hLam = lg == null ? null : lg.h();
        double resLimit = lg == null ? 0 : lg.limit();
        double ubLimit = upperBound + Math.abs(upperBound) * SLACK + SLACK;
        if (hCost[from] == Searches.INF) {
            return null;
        }
        LabelHeap heap = new LabelHeap();
        int root = newLabel(from, -1, -1, cost0, lat0, rel0, hops0);
        lRes[root] = res0;
        seen[from] = gen;
        nodeHead[from] = root;
        lNext[root] = -1;
        heap.push(root, cost0 + hCost[from]);
        while (!heap.isEmpty()) {
            int L = heap.pop();
            if (lDead[L]) {
                continue;
            }
            int v = lNode[L];
            if (v == target) {
                return edgesOf(L);
            }
            double cv = lCost[L];
            double av = lLat[L];
            double rv = lRel[L];
            int hv = lHops[L] + 1;
            if (th && hv > maxHops) {
                continue;
            }
            for (int e = outStart[v], end = outStart[v + 1]; e < end; e++) {
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = head[e];
                if (blocks && (ws.blockedEdge[e] == bg || ws.blockedNode[u] == bg)) {
                    continue;
                }
                double hc = hCost[u];
                if (hc == Searches.INF) {
                    continue;
                }
                double cu = cv + w[e];
                double au = av + lat[e];
                double ru = rv * rel[e];
                double key = cu + hc;
                double resU = 0;
                if (lg != null) {
                    resU = lRes[L] + res[e];
                    double hl = hLam[u];
                    if (hl == Searches.INF) {
                        continue;
                    }
                    double bound = cu + hl - lambda * (resLimit - resU);
                    bound -= (Math.abs(cu) + Math.abs(hl) + lambda * Math.abs(resLimit)) * SLACK + SLACK;
                    if (bound > key) {
                        key = bound;
                    }
                }
                if (key > ubLimit) {
                    continue;
                }
                if (u == target) {
                    if ((tl && au > maxLat) || (tr && ru < minRel) || (th && hv > maxHops)) {
                        continue;
                    }
                } else {
                    if (tl && au + b.hLat()[u] > latLimit) {
                        continue;
                    }
                    if (tr && ru * b.hRel()[u] < relLimit) {
                        continue;
                    }
                    if (th && (long) hv + b.hHops()[u] > maxHops) {
                        continue;
                    }
                }
                // Dominance against the labels already at u.
                boolean dominated = false;
                if (seen[u] == gen) {
                    int prev = -1;
                    for (int x = nodeHead[u]; x >= 0; ) {
                        int next = lNext[x];
                        if (lCost[x] <= cu && (!tl || lLat[x] <= au) && (!tr || lRel[x] >= ru)
                                && (!th || lHops[x] <= hv)) {
                            dominated = true;
                            break;
                        }
                        if (cu <= lCost[x] && (!tl || au <= lLat[x]) && (!tr || ru >= lRel[x])
                                && (!th || hv <= lHops[x])) {
                            lDead[x] = true;
                            if (prev < 0) {
                                nodeHead[u] = next;
                            } else {
                                lNext[prev] = next;
                            }
                        } else {
                            prev = x;
                        }
                        x = next;
                    }
                } else {
                    seen[u] = gen;
                    nodeHead[u] = -1;
                }
                if (dominated) {
                    continue;
                }
                if (count >= maxLabels) {
                    limitHit = true;
                    return null;
                }
                int id = newLabel(u, L, e, cu, au, ru, hv);
                lRes[id] = resU;
                lNext[id] = nodeHead[u];
                nodeHead[u] = id;
                heap.push(id, key);
            }
        }
        return null;
    }

    private int[] edgesOf(int label) {
        int len = 0;
        for (int x = label; lEdge[x] >= 0; x = lPrev[x]) {
            len++;
        }
        int[] edges = new int[len];
        for (int x = label; lEdge[x] >= 0; x = lPrev[x]) {
            edges[--len] = lEdge[x];
        }
        return edges;
    }

    int labelsCreated() {
        return count;
    }
}
