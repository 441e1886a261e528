package org.aivillage.bitchat.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A random geometric graph: {@code n} points uniform in the unit square, an edge between two points
 * at most {@code radius} apart (the usual model of short-range radios such as BLE).
 */
public final class RandomGeometricGraph {
    private final double[] x;
    private final double[] y;
    private final double radius;
    private final List<List<Integer>> adjacency;

    private RandomGeometricGraph(double[] x, double[] y, double radius) {
        this.x = x;
        this.y = y;
        this.radius = radius;
        int n = x.length;
        adjacency = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            adjacency.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = x[i] - x[j];
                double dy = y[i] - y[j];
                if (dx * dx + dy * dy <= radius * radius) {
                    adjacency.get(i).add(j);
                    adjacency.get(j).add(i);
                }
            }
        }
    }

    /** {@code n} random points with the radius that gives {@code averageDegree} expected neighbours. */
    public static RandomGeometricGraph withAverageDegree(int n, double averageDegree, RandomGenerator random) {
        return withRadius(n, Math.sqrt(averageDegree / (Math.PI * (n - 1))), random);
    }

    public static RandomGeometricGraph withRadius(int n, double radius, RandomGenerator random) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble();
            y[i] = random.nextDouble();
        }
        return new RandomGeometricGraph(x, y, radius);
    }

    public int size() {
        return x.length;
    }

    public double radius() {
        return radius;
    }

    public double x(int i) {
        return x[i];
    }

    public double y(int i) {
        return y[i];
    }

    public List<Integer> neighbors(int i) {
        return List.copyOf(adjacency.get(i));
    }

    public int edgeCount() {
        int m = 0;
        for (List<Integer> a : adjacency) {
            m += a.size();
        }
        return m / 2;
    }

    public double averageDegree() {
        return 2.0 * edgeCount() / size();
    }

    /** Hop distances from {@code source} (-1 = unreachable). */
    public int[] hopDistances(int source) {
        int[] d = new int[size()];
        Arrays.fill(d, -1);
        d[source] = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(source);
        while (!q.isEmpty()) {
            int u = q.poll();
            for (int v : adjacency.get(u)) {
                if (d[v] < 0) {
                    d[v] = d[u] + 1;
                    q.add(v);
                }
            }
        }
        return d;
    }

    /** Size of the largest connected component. */
    public int largestComponent() {
        boolean[] done = new boolean[size()];
        int best = 0;
        for (int i = 0; i < size(); i++) {
            if (!done[i]) {
                int[] d = hopDistances(i);
                int c = 0;
                for (int j = 0; j < d.length; j++) {
                    if (d[j] >= 0) {
                        done[j] = true;
                        c++;
                    }
                }
                best = Math.max(best, c);
            }
        }
        return best;
    }
}
