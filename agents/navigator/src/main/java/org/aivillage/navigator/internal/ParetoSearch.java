package org.aivillage.navigator.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aivillage.navigator.PathConstraints;

/**
 * Martin's multi-objective label-setting search over (latency, cost, reliability): labels leave a
 * lexicographic priority queue, a label is dropped when another at the same node is at least as
 * good in all three (and in hops when hops are limited), and when even its optimistic completion
 * (exact per-criterion distances to the target) is dominated by a path already at the target.
 * Constraints prune exactly as in the constrained single-path search.
 */
final class ParetoSearch {
    private static final double SLACK = 1e-12;

    private final Ctx c;
    private final PathConstraints pc;
    private final int maxLabels;
    boolean limitHit;

    private int count;
    private int[] lNode = new int[256];
    private int[] lPrev = new int[256];
    private int[] lEdge = new int[256];
    private int[] lNext = new int[256];
    private double[] lLat = new double[256];
    private double[] lCost = new double[256];
    private double[] lRel = new double[256];
    private int[] lHops = new int[256];
    private boolean[] lDead = new boolean[256];
    /** Heap of label ids in lexicographic (latency, cost, -reliability) order. */
    private int[] heap = new int[256];
    private int heapSize;

    ParetoSearch(Ctx c, PathConstraints pc, int maxLabels) {
        this.c = c;
        this.pc = pc;
        this.maxLabels = maxLabels;
    }

    /** Edges of every path on the frontier (one per distinct vector), in no particular order. */
    List<int[]> run(int src, int dst) {
        double minBw = pc.minBandwidthMbps();
        double[] hLat = Searches.reverse(c, c.g.latency, dst, minBw, null, Solver.loosen(pc.maxLatencyMs()));
        if (hLat[src] == Searches.INF) {
            return List.of();
        }
        double[] hCost = Searches.reverse(c, c.g.cost, dst, minBw, null);
        double[] hRel = Searches.reverseReliability(c, dst, minBw, pc.minReliability() * (1 - 1e-12));
        boolean th = pc.limitsHops();
        int[] hHops = th ? Searches.reverseHops(c, dst, minBw, pc.maxHops()) : null;
        boolean tl = pc.limitsLatency();
        boolean tr = pc.limitsReliability();
        double maxLat = pc.maxLatencyMs();
        double minRel = pc.minReliability();
        int maxHops = pc.maxHops();
        double latLimit = maxLat + Math.abs(maxLat) * SLACK + SLACK;
        double relLimit = minRel * (1 - SLACK);

        Workspace ws = c.ws;
        int gen = ws.nextGen();
        int[] nodeHead = ws.predEdge;
        int[] seen = ws.seen;
        int[] outStart = c.s.outStart;
        int[] head = c.s.head;
        double[] bw = c.g.bandwidth;
        int targetHead = -1;

        int root = newLabel(src, -1, -1, 0, 0, 1, 0);
        seen[src] = gen;
        nodeHead[src] = root;
        lNext[root] = -1;
        push(root);
        outer:
        while (heapSize > 0) {
            int L = pop();
            if (lDead[L]) {
                continue;
            }
            int v = lNode[L];
            int hv = lHops[L] + 1;
            if (th && hv > maxHops) {
                continue;
            }
            for (int e = outStart[v], end = outStart[v + 1]; e < end; e++) {
                if (!c.allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = head[e];
                if (hLat[u] == Searches.INF) {
                    continue;
                }
                double au = lLat[L] + c.g.latency[e];
                double cu = lCost[L] + c.g.cost[e];
                double ru = lRel[L] * c.g.reliability[e];
                if (u == dst) {
                    if ((tl && au > maxLat) || (tr && ru < minRel)) {
                        continue;
                    }
                } else {
                    if (tl && au + hLat[u] > latLimit) {
                        continue;
                    }
                    if (tr && ru * hRel[u] < relLimit) {
                        continue;
                    }
                    if (th && (long) hv + hHops[u] > maxHops) {
                        continue;
                    }
                    // Optimistic completion dominated by a path already found?
                    double oa = (au + hLat[u]) * (1 - SLACK);
                    double oc = (cu + hCost[u]) * (1 - SLACK);
                    double or = ru * hRel[u] * (1 + SLACK);
                    boolean hopeless = false;
                    for (int x = targetHead; x >= 0; x = lNext[x]) {
                        if (lLat[x] <= oa && lCost[x] <= oc && lRel[x] >= or) {
                            hopeless = true;
                            break;
                        }
                    }
                    if (hopeless) {
                        continue;
                    }
                }
                boolean useHops = th && u != dst;
                int listHead = u == dst ? targetHead : (seen[u] == gen ? nodeHead[u] : -1);
                boolean dominated = false;
                int prev = -1;
                for (int x = listHead; x >= 0; ) {
                    int next = lNext[x];
                    if (lLat[x] <= au && lCost[x] <= cu && lRel[x] >= ru && (!useHops || lHops[x] <= hv)) {
                        dominated = true;
                        break;
                    }
                    if (au <= lLat[x] && cu <= lCost[x] && ru >= lRel[x] && (!useHops || hv <= lHops[x])) {
                        lDead[x] = true;
                        if (prev < 0) {
                            listHead = next;
                        } else {
                            lNext[prev] = next;
                        }
                    } else {
                        prev = x;
                    }
                    x = next;
                }
                if (dominated) {
                    // the list head may have changed while unlinking before the dominating label
                    storeHead(u, dst, gen, listHead);
                    if (u == dst) {
                        targetHead = listHead;
                    }
                    continue;
                }
                if (count >= maxLabels) {
                    limitHit = true;
                    if (u == dst) {
                        targetHead = listHead;
                    } else {
                        storeHead(u, dst, gen, listHead);
                    }
                    break outer;
                }
                int id = newLabel(u, L, e, au, cu, ru, hv);
                lNext[id] = listHead;
                if (u == dst) {
                    targetHead = id;
                } else {
                    storeHead(u, dst, gen, id);
                    push(id);
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int x = targetHead; x >= 0; x = lNext[x]) {
            out.add(edgesOf(x));
        }
        return out;
    }

    private void storeHead(int u, int dst, int gen, int listHead) {
        if (u != dst) {
            c.ws.seen[u] = gen;
            c.ws.predEdge[u] = listHead;
        }
    }

    private int newLabel(int node, int prev, int edge, double lat, double cost, double rel, int hops) {
        if (count == lNode.length) {
            int cap = count * 2;
            lNode = Arrays.copyOf(lNode, cap);
            lPrev = Arrays.copyOf(lPrev, cap);
            lEdge = Arrays.copyOf(lEdge, cap);
            lNext = Arrays.copyOf(lNext, cap);
            lLat = Arrays.copyOf(lLat, cap);
            lCost = Arrays.copyOf(lCost, cap);
            lRel = Arrays.copyOf(lRel, cap);
            lHops = Arrays.copyOf(lHops, cap);
            lDead = Arrays.copyOf(lDead, cap);
        }
        int id = count++;
        lNode[id] = node;
        lPrev[id] = prev;
        lEdge[id] = edge;
        lLat[id] = lat;
        lCost[id] = cost;
        lRel[id] = rel;
        lHops[id] = hops;
        lDead[id] = false;
        return id;
    }

    private boolean less(int a, int b) {
        if (lLat[a] != lLat[b]) {
            return lLat[a] < lLat[b];
        }
        if (lCost[a] != lCost[b]) {
            return lCost[a] < lCost[b];
        }
        return lRel[a] > lRel[b];
    }

    private void push(int id) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(id, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = id;
    }

    private int pop() {
        int top = heap[0];
        int last = heap[--heapSize];
        int i = 0;
        while (2 * i + 1 < heapSize) {
            int ch = 2 * i + 1;
            if (ch + 1 < heapSize && less(heap[ch + 1], heap[ch])) {
                ch++;
            }
            if (!less(heap[ch], last)) {
                break;
            }
            heap[i] = heap[ch];
            i = ch;
        }
        if (heapSize > 0) {
            heap[i] = last;
        }
        return top;
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
}
