package org.aivillage.bench.navigator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark graphs, generated from a fixed seed: a random geometric graph and a
 * Barabási–Albert scale-free graph, each with 100,000 nodes and 500,000 undirected edges
 * (1,000,000 directed arcs once both directions are added).
 */
final class BenchGraphs {
    /** One undirected edge list with per-edge metrics. */
    record EdgeList(int n, int[] a, int[] b, double[] latency, double[] bandwidth, double[] reliability,
                    double[] cost) {
        int m() {
            return a.length;
        }
    }

    private static final double[] BANDWIDTHS = {10, 100, 1000};

    private BenchGraphs() {}

    static EdgeList of(String kind, int n, int m, long seed) {
        return switch (kind) {
            case "geometric" -> geometric(n, m, seed);
            case "scalefree" -> scaleFree(n, m / Math.max(1, n) == 0 ? 1 : m / n, seed);
            default -> throw new IllegalArgumentException("unknown graph kind " + kind);
        };
    }

    /**
     * n points uniform in the unit square; the m closest pairs are joined (found through a grid of
     * cells a little larger than the radius that yields m pairs on average). Latency is the
     * distance scaled so that crossing the square takes about 100 ms.
     */
    static EdgeList geometric(int n, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble();
            y[i] = r.nextDouble();
        }
        double radius = Math.sqrt(2.0 * m / (Math.PI * (double) n * n)) * 1.08;
        int cells = Math.max(1, (int) (1 / radius));
        int[] cellStart = new int[cells * cells + 1];
        int[] cellOf = new int[n];
        for (int i = 0; i < n; i++) {
            int cx = Math.min(cells - 1, (int) (x[i] * cells));
            int cy = Math.min(cells - 1, (int) (y[i] * cells));
            cellOf[i] = cy * cells + cx;
            cellStart[cellOf[i] + 1]++;
        }
        for (int c = 0; c < cells * cells; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(cellStart, cells * cells);
        for (int i = 0; i < n; i++) {
            members[fill[cellOf[i]]++] = i;
        }
        // Candidate pairs within the radius: (distance bits, a, b) packed for sorting.
        long[] keys = new long[m * 2];
        int[] pa = new int[m * 2];
        int[] pb = new int[m * 2];
        int count = 0;
        double r2 = radius * radius;
        for (int i = 0; i < n; i++) {
            int cx = cellOf[i] % cells;
            int cy = cellOf[i] / cells;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = cx + dx;
                    int ny = cy + dy;
                    if (nx < 0 || ny < 0 || nx >= cells || ny >= cells) {
                        continue;
                    }
                    int c = ny * cells + nx;
                    for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
                        int j = members[k];
                        if (j <= i) {
                            continue;
                        }
                        double ddx = x[i] - x[j];
                        double ddy = y[i] - y[j];
                        double d2 = ddx * ddx + ddy * ddy;
                        if (d2 <= r2) {
                            if (count == keys.length) {
                                keys = Arrays.copyOf(keys, count * 2);
                                pa = Arrays.copyOf(pa, count * 2);
                                pb = Arrays.copyOf(pb, count * 2);
                            }
                            // distance bits (positive doubles sort like longs) in the high part is
                            // enough to order; the index in the low bits breaks ties.
                            keys[count] = (Double.doubleToLongBits(Math.sqrt(d2)) & ~0x1FFFFFL) | count;
                            pa[count] = i;
                            pb[count] = j;
                            count++;
                        }
                    }
                }
            }
        }
        if (count > 0x1FFFFF) {
            throw new IllegalStateException("too many candidate pairs for the packed sort key: " + count);
        }
        if (count < m) {
            throw new IllegalStateException("radius too small: " + count + " pairs < " + m);
        }
        long[] sorted = Arrays.copyOf(keys, count);
        Arrays.sort(sorted);
        int[] a = new int[m];
        int[] b = new int[m];
        double[] lat = new double[m];
        double[] bw = new double[m];
        double[] rel = new double[m];
        double[] cost = new double[m];
        for (int e = 0; e < m; e++) {
            int idx = (int) (sorted[e] & 0x1FFFFFL);
            a[e] = pa[idx];
            b[e] = pb[idx];
            double dx = x[a[e]] - x[b[e]];
            double dy = y[a[e]] - y[b[e]];
            lat[e] = 0.05 + Math.sqrt(dx * dx + dy * dy) * 100;
            bw[e] = BANDWIDTHS[r.nextInt(BANDWIDTHS.length)];
            rel[e] = 0.95 + r.nextDouble() * 0.05;
            cost[e] = 1 + r.nextInt(10);
        }
        return new EdgeList(n, a, b, lat, bw, rel, cost);
    }

    /** Barabási–Albert: each new node joins k distinct existing nodes chosen in proportion to degree. */
    static EdgeList scaleFree(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> edges = new ArrayList<>(n * k);
        int[] endpoints = new int[2 * (n * k + k * k)];
        int ends = 0;
        for (int i = 0; i <= k; i++) {
            for (int j = 0; j < i; j++) {
                edges.add(new int[] {i, j});
                endpoints[ends++] = i;
                endpoints[ends++] = j;
            }
        }
        int[] chosen = new int[k];
        for (int v = k + 1; v < n; v++) {
            int c = 0;
            while (c < k) {
                int u = endpoints[r.nextInt(ends)];
                boolean dup = false;
                for (int i = 0; i < c; i++) {
                    dup |= chosen[i] == u;
                }
                if (!dup) {
                    chosen[c++] = u;
                }
            }
            for (int i = 0; i < k; i++) {
                edges.add(new int[] {v, chosen[i]});
                endpoints[ends++] = v;
                endpoints[ends++] = chosen[i];
            }
        }
        int m = edges.size();
        int[] a = new int[m];
        int[] b = new int[m];
        double[] lat = new double[m];
        double[] bw = new double[m];
        double[] rel = new double[m];
        double[] cost = new double[m];
        for (int e = 0; e < m; e++) {
            a[e] = edges.get(e)[0];
            b[e] = edges.get(e)[1];
            lat[e] = 1 + r.nextDouble() * 49;
            bw[e] = BANDWIDTHS[r.nextInt(BANDWIDTHS.length)];
            rel[e] = 0.95 + r.nextDouble() * 0.05;
            cost[e] = 1 + r.nextInt(10);
        }
        return new EdgeList(n, a, b, lat, bw, rel, cost);
    }
}
