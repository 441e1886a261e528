package org.aivillage.navigator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aivillage.navigator.internal.LongIntMap;
import org.aivillage.navigator.internal.RawGraph;

/**
 * A topology under construction: nodes with metadata and directed edges with metrics, held in
 * primitive arrays (a million edges cost tens of megabytes, not hundreds). Install it with
 * {@link Navigator#updateTopology(NetworkGraph)}, which takes a consistent copy; the graph stays
 * usable for further edits. Thread-safe (every method locks the graph).
 *
 * <p>There is at most one edge per ordered pair of nodes: adding an edge that exists replaces
 * its metrics. Self-loops are rejected (no loop-free path uses one).
 */
public final class NetworkGraph {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private double[] capacity = new double[16];
    private double[] load = new double[16];
    private double[] latitude = new double[16];
    private double[] longitude = new double[16];
    private boolean[] nodeFailed = new boolean[16];

    private int m;
    private int[] src = new int[16];
    private int[] dst = new int[16];
    private double[] latency = new double[16];
    private double[] bandwidth = new double[16];
    private double[] reliability = new double[16];
    private double[] cost = new double[16];
    private boolean[] edgeFailed = new boolean[16];
    private final LongIntMap edgeIndex = new LongIntMap(16);

    /** Adds a node, or replaces the metadata of an existing one. */
    public synchronized NetworkGraph addNode(String id, NodeMetadata metadata) {
        Checks.nodeId("id", id);
        if (metadata == null) {
            throw new IllegalArgumentException("metadata must not be null");
        }
        Integer existing = index.get(id);
        int v;
        if (existing == null) {
            v = names.size();
            if (v == capacity.length) {
                int cap = v * 2;
                capacity = Arrays.copyOf(capacity, cap);
                load = Arrays.copyOf(load, cap);
                latitude = Arrays.copyOf(latitude, cap);
                longitude = Arrays.copyOf(longitude, cap);
                nodeFailed = Arrays.copyOf(nodeFailed, cap);
            }
            names.add(id);
            index.put(id, v);
        } else {
            v = existing;
        }
        capacity[v] = metadata.capacity();
        load[v] = metadata.currentLoad();
        latitude[v] = metadata.location().map(GeoLocation::latitude).orElse(Double.NaN);
        longitude[v] = metadata.location().map(GeoLocation::longitude).orElse(Double.NaN);
        return this;
    }

    /** Adds the directed edge {@code from → to}, or replaces its metrics. Both nodes must exist. */
    public synchronized NetworkGraph addEdge(String from, String to, EdgeMetrics metrics) {
        int a = node("from", from);
        int b = node("to", to);
        if (metrics == null) {
            throw new IllegalArgumentException("metrics must not be null");
        }
        if (a == b) {
            throw new IllegalArgumentException("self-loop " + from + "->" + to + " is not allowed");
        }
        long key = LongIntMap.pair(a, b);
        int e = edgeIndex.get(key);
        if (e < 0) {
            e = m++;
            if (e == src.length) {
                int cap = e * 2;
                src = Arrays.copyOf(src, cap);
                dst = Arrays.copyOf(dst, cap);
                latency = Arrays.copyOf(latency, cap);
                bandwidth = Arrays.copyOf(bandwidth, cap);
                reliability = Arrays.copyOf(reliability, cap);
                cost = Arrays.copyOf(cost, cap);
                edgeFailed = Arrays.copyOf(edgeFailed, cap);
            }
            src[e] = a;
            dst[e] = b;
            edgeIndex.put(key, e);
        }
        latency[e] = metrics.latencyMs();
        bandwidth[e] = metrics.bandwidthMbps();
        reliability[e] = metrics.reliability();
        cost[e] = metrics.cost();
        return this;
    }

    /** Adds (or replaces) both {@code a → b} and {@code b → a} with the same metrics. */
    public synchronized NetworkGraph addBidirectionalEdge(String a, String b, EdgeMetrics metrics) {
        addEdge(a, b, metrics);
        return addEdge(b, a, metrics);
    }

    /** Marks a node as failed (no path may pass through it) or as working again. */
    public synchronized NetworkGraph setNodeFailed(String id, boolean failed) {
        nodeFailed[node("id", id)] = failed;
        return this;
    }

    /** Marks a directed edge as failed or as working again. */
    public synchronized NetworkGraph setEdgeFailed(String from, String to, boolean failed) {
        edgeFailed[edge(from, to)] = failed;
        return this;
    }

    public synchronized int nodeCount() {
        return names.size();
    }

    public synchronized int edgeCount() {
        return m;
    }

    public synchronized boolean hasNode(String id) {
        return index.containsKey(id);
    }

    public synchronized Optional<NodeMetadata> nodeMetadata(String id) {
        Integer v = index.get(id);
        if (v == null) {
            return Optional.empty();
        }
        Optional<GeoLocation> loc = Double.isNaN(latitude[v])
                ? Optional.empty() : Optional.of(new GeoLocation(latitude[v], longitude[v]));
        return Optional.of(new NodeMetadata(loc, capacity[v], load[v]));
    }

    public synchronized Optional<EdgeMetrics> edgeMetrics(String from, String to) {
        Integer a = index.get(from);
        Integer b = index.get(to);
        int e = a == null || b == null ? -1 : edgeIndex.get(LongIntMap.pair(a, b));
        return e < 0 ? Optional.empty()
                : Optional.of(new EdgeMetrics(latency[e], bandwidth[e], reliability[e], cost[e]));
    }

    private int node(String field, String id) {
        Integer v = index.get(id);
        if (v == null) {
            throw new UnknownNodeException(field, id);
        }
        return v;
    }

    private int edge(String from, String to) {
        int e = edgeIndex.get(LongIntMap.pair(node("from", from), node("to", to)));
        if (e < 0) {
            throw new IllegalArgumentException("no edge " + from + "->" + to);
        }
        return e;
    }

    /** A consistent copy for compilation. */
    synchronized RawGraph export() {
        int n = names.size();
        return new RawGraph(names.toArray(new String[0]), Arrays.copyOf(capacity, n), Arrays.copyOf(load, n),
                Arrays.copyOf(latitude, n), Arrays.copyOf(longitude, n), Arrays.copyOf(nodeFailed, n),
                Arrays.copyOf(src, m), Arrays.copyOf(dst, m), Arrays.copyOf(latency, m), Arrays.copyOf(bandwidth, m),
                Arrays.copyOf(reliability, m), Arrays.copyOf(cost, m), Arrays.copyOf(edgeFailed, m));
    }
}
