package org.aivillage.navigator.internal;

import java.util.Arrays;

/**
 * Single-criterion searches over a {@link Ctx}: Dijkstra / A*, widest path, and the reverse
 * searches that give exact distances to a target (used as A* potentials and as lower bounds).
 * "Blocks" are the per-spur node and edge blocks of Yen's algorithm, kept in the workspace.
 */
final class Searches {
    static final double INF = Double.POSITIVE_INFINITY;

    private Searches() {}

    /**
     * Dijkstra (A* when {@code pot} is given) from {@code src} to {@code dst} over allowed edges with
     * bandwidth &gt;= {@code minBw}. Returns the distance to dst or +Infinity; the tree is left in
     * {@code ws.predEdge}.
     */
    static double forward(Ctx c, double[] w, int src, int dst, double[] pot, double minBw, boolean blocks) {
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        int bg = ws.blockGen;
        IndexedMinHeap heap = ws.heap;
        int[] outStart = c.s.outStart;
        int[] head = c.s.head;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        double[] dist = ws.dist;
        int[] seen = ws.seen;
        int[] settled = ws.settled;
        int[] pred = ws.predEdge;
        int[] bNode = ws.blockedNode;
        int[] bEdge = ws.blockedEdge;
        if (pot != null && pot[src] == INF) {
            return INF;
        }
        seen[src] = gen;
        dist[src] = 0;
        pred[src] = -1;
        heap.insert(src, pot == null ? 0 : pot[src]);
        while (!heap.isEmpty()) {
            int v = heap.pollMin();
            settled[v] = gen;
            if (v == dst) {
                return dist[v];
            }
            double dv = dist[v];
            for (int e = outStart[v], end = outStart[v + 1]; e < end; e++) {
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = head[e];
                if (blocks && (bEdge[e] == bg || bNode[u] == bg)) {
                    continue;
                }
                double nd = dv + w[e];
                if (seen[u] != gen) {
                    double key = nd;
                    if (pot != null) {
                        double p = pot[u];
                        if (p == INF) {
                            continue;
                        }
                        key += p;
                    }
                    seen[u] = gen;
                    dist[u] = nd;
                    pred[u] = e;
                    heap.insert(u, key);
                } else if (nd < dist[u] && settled[u] != gen) {
                    dist[u] = nd;
                    pred[u] = e;
                    heap.decrease(u, pot == null ? nd : nd + pot[u]);
                }
            }
        }
        return INF;
    }

    /** Distances from {@code src} to every node within {@code radius} (+Infinity beyond). */
    static double[] forwardAll(Ctx c, double[] w, int src, double minBw, double radius) {
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        IndexedMinHeap heap = ws.heap;
        int[] outStart = c.s.outStart;
        int[] head = c.s.head;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        int[] seen = ws.seen;
        int[] settled = ws.settled;
        double[] dist = new double[c.s.n];
        Arrays.fill(dist, INF);
        seen[src] = gen;
        dist[src] = 0;
        heap.insert(src, 0);
        while (!heap.isEmpty()) {
            int v = heap.pollMin();
            settled[v] = gen;
            double dv = dist[v];
            if (dv > radius) {
                dist[v] = INF;
                while (!heap.isEmpty()) {
                    dist[heap.pollMin()] = INF;
                }
                break;
            }
            for (int e = outStart[v], end = outStart[v + 1]; e < end; e++) {
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = head[e];
                double nd = dv + w[e];
                if (seen[u] != gen) {
                    seen[u] = gen;
                    dist[u] = nd;
                    heap.insert(u, nd);
                } else if (nd < dist[u] && settled[u] != gen) {
                    dist[u] = nd;
                    heap.decrease(u, nd);
                }
            }
        }
        return dist;
    }

    /** The edges of the tree path src → dst left by the last forward search. */
    static int[] treePath(Ctx c, int src, int dst) {
        int len = 0;
        for (int v = dst; v != src; v = c.s.tail[c.ws.predEdge[v]]) {
            len++;
        }
        int[] edges = new int[len];
        for (int v = dst; v != src; v = c.s.tail[c.ws.predEdge[v]]) {
            edges[--len] = c.ws.predEdge[v];
        }
        return edges;
    }

    /**
     * Exact distances from every node to {@code t} over allowed edges with bandwidth &gt;= minBw
     * (+Infinity when t is unreachable). When {@code succ} is given, {@code succ[v]} becomes the first
     * edge of a shortest v → t path (-1 at t and at unreachable nodes).
     */
    static double[] reverse(Ctx c, double[] w, int t, double minBw, int[] succ) {
        return reverse(c, w, t, minBw, succ, INF);
    }

    /**
     * As {@link #reverse(Ctx, double[], int, double, int[])}, but nodes farther than {@code radius}
     * from t are left at +Infinity (the search stops there).
     */
    static double[] reverse(Ctx c, double[] w, int t, double minBw, int[] succ, double radius) {
        return reverse(c, w, t, minBw, succ, radius, null);
    }

    /**
     * As above, and only through nodes in {@code region} (when given): the distances are exact for
     * every node whose shortest path to t stays in the region, and never too small for the others.
     */
    static double[] reverse(Ctx c, double[] w, int t, double minBw, int[] succ, double radius, boolean[] region) {
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        IndexedMinHeap heap = ws.heap;
        int[] inStart = c.s.inStart;
        int[] inEdges = c.s.inEdges;
        int[] tail = c.s.tail;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        int[] seen = ws.seen;
        int[] settled = ws.settled;
        double[] dist = new double[c.s.n];
        Arrays.fill(dist, INF);
        if (succ != null) {
            Arrays.fill(succ, -1);
        }
        seen[t] = gen;
        dist[t] = 0;
        heap.insert(t, 0);
        while (!heap.isEmpty()) {
            int v = heap.pollMin();
            settled[v] = gen;
            double dv = dist[v];
            if (dv > radius) {
                dist[v] = INF;
                if (succ != null) {
                    succ[v] = -1;
                }
                while (!heap.isEmpty()) {
                    int u = heap.pollMin();
                    dist[u] = INF;
                    if (succ != null) {
                        succ[u] = -1;
                    }
                }
                break;
            }
            for (int i = inStart[v], end = inStart[v + 1]; i < end; i++) {
                int e = inEdges[i];
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = tail[e];
                if (region != null && !region[u]) {
                    continue;
                }
                double nd = dv + w[e];
                if (seen[u] != gen) {
                    seen[u] = gen;
                    dist[u] = nd;
                    if (succ != null) {
                        succ[u] = e;
                    }
                    heap.insert(u, nd);
                } else if (nd < dist[u] && settled[u] != gen) {
                    dist[u] = nd;
                    if (succ != null) {
                        succ[u] = e;
                    }
                    heap.decrease(u, nd);
                }
            }
        }
        return dist;
    }

    /**
     * Largest product of reliabilities from every node to {@code t} (0 when unreachable, and when
     * below {@code floor}: the search stops there).
     */
    static double[] reverseReliability(Ctx c, int t, double minBw, double floor) {
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        IndexedMinHeap heap = ws.heap;
        int[] inStart = c.s.inStart;
        int[] inEdges = c.s.inEdges;
        int[] tail = c.s.tail;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        double[] rel = c.g.reliability;
        int[] seen = ws.seen;
        int[] settled = ws.settled;
        double[] best = new double[c.s.n];
        seen[t] = gen;
        best[t] = 1;
        heap.insert(t, -1);
        while (!heap.isEmpty()) {
            int v = heap.pollMin();
            settled[v] = gen;
            double bv = best[v];
            if (bv < floor) {
                best[v] = 0;
                while (!heap.isEmpty()) {
                    best[heap.pollMin()] = 0;
                }
                break;
            }
            for (int i = inStart[v], end = inStart[v + 1]; i < end; i++) {
                int e = inEdges[i];
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = tail[e];
                double nb = bv * rel[e];
                if (seen[u] != gen) {
                    seen[u] = gen;
                    best[u] = nb;
                    heap.insert(u, -nb);
                } else if (nb > best[u] && settled[u] != gen) {
                    best[u] = nb;
                    heap.decrease(u, -nb);
                }
            }
        }
        return best;
    }

    /** Fewest edges from every node to {@code t} (Integer.MAX_VALUE when unreachable or more than maxDepth). */
    static int[] reverseHops(Ctx c, int t, double minBw, int maxDepth) {
        int n = c.s.n;
        int[] hops = new int[n];
        Arrays.fill(hops, Integer.MAX_VALUE);
        int[] queue = new int[n];
        int qh = 0;
        int qt = 0;
        hops[t] = 0;
        queue[qt++] = t;
        int[] inStart = c.s.inStart;
        int[] inEdges = c.s.inEdges;
        int[] tail = c.s.tail;
        while (qh < qt) {
            int v = queue[qh++];
            if (hops[v] >= maxDepth) {
                continue;
            }
            for (int i = inStart[v], end = inStart[v + 1]; i < end; i++) {
                int e = inEdges[i];
                if (!c.allowed[e] || c.g.bandwidth[e] < minBw) {
                    continue;
                }
                int u = tail[e];
                if (hops[u] == Integer.MAX_VALUE) {
                    hops[u] = hops[v] + 1;
                    queue[qt++] = u;
                }
            }
        }
        return hops;
    }

    /**
     * Largest bottleneck bandwidth of a src → dst path over allowed edges with bandwidth &gt;= minBw;
     * -1 when dst is unreachable.
     */
    static double widest(Ctx c, int src, int dst, double minBw, boolean blocks) {
        Workspace ws = c.ws;
        int gen = ws.nextGen();
        int bg = ws.blockGen;
        IndexedMinHeap heap = ws.heap;
        int[] outStart = c.s.outStart;
        int[] head = c.s.head;
        boolean[] allowed = c.allowed;
        double[] bw = c.g.bandwidth;
        double[] best = ws.dist;
        int[] seen = ws.seen;
        int[] settled = ws.settled;
        seen[src] = gen;
        best[src] = INF;
        ws.predEdge[src] = -1;
        heap.insert(src, -INF);
        while (!heap.isEmpty()) {
            int v = heap.pollMin();
            settled[v] = gen;
            if (v == dst) {
                return best[v];
            }
            double bv = best[v];
            for (int e = outStart[v], end = outStart[v + 1]; e < end; e++) {
                if (!allowed[e] || bw[e] < minBw) {
                    continue;
                }
                int u = head[e];
                if (blocks && (ws.blockedEdge[e] == bg || ws.blockedNode[u] == bg)) {
                    continue;
                }
                double nb = Math.min(bv, bw[e]);
                if (seen[u] != gen) {
                    seen[u] = gen;
                    best[u] = nb;
                    ws.predEdge[u] = e;
                    heap.insert(u, -nb);
                } else if (nb > best[u] && settled[u] != gen) {
                    best[u] = nb;
                    ws.predEdge[u] = e;
                    heap.decrease(u, -nb);
                }
            }
        }
        return -1;
    }
}
