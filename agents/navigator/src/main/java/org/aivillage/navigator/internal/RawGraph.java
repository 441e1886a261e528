package org.aivillage.navigator.internal;

/**
 * A copy of a graph under construction: parallel arrays, nodes 0..n-1 and edges 0..m-1 in
 * insertion order. At most one edge per ordered pair, no self-loops (the builder guarantees it).
 */
public record RawGraph(
        String[] names, double[] capacity, double[] load, double[] latitude, double[] longitude,
        boolean[] nodeFailed,
        int[] src, int[] dst, double[] latency, double[] bandwidth, double[] reliability, double[] cost,
        boolean[] edgeFailed) {

    public int nodeCount() {
        return names.length;
    }

    public int edgeCount() {
        return src.length;
    }
}
