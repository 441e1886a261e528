package org.aivillage.navigator.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.aivillage.navigator.EdgeMetrics;
import org.aivillage.navigator.GeoLocation;
import org.aivillage.navigator.NodeMetadata;
import org.aivillage.navigator.OptimizationGoal;
import org.aivillage.navigator.TopologyUpdate;
import org.aivillage.navigator.UnknownNodeException;

/**
 * One immutable topology: a shared {@link Structure} plus metric arrays in CSR edge order. Updates
 * produce a new state (copy-on-write of the arrays they touch); readers of an old state are never
 * disturbed.
 */
public final class GraphState {
    /** Weights of the BALANCED goal: latency, cost, -ln reliability, inverse bandwidth. */
    public static final double BALANCED_LATENCY = 0.4;
    public static final double BALANCED_COST = 0.2;
    public static final double BALANCED_RELIABILITY = 0.3;
    public static final double BALANCED_BANDWIDTH = 0.1;
    /** Utilisation above which the LOAD_AWARE penalty continues linearly. */
    public static final double LOAD_KNEE = 0.9;

    public final Structure s;
    public final long version;
    final double[] latency;
    final double[] bandwidth;
    final double[] reliability;
    final double[] cost;
    final boolean[] edgeFailed;
    final double[] capacity;
    final double[] load;
    final double[] latitude;
    final double[] longitude;
    final boolean[] nodeFailed;
    /** Edge may carry traffic: not failed, both ends up, reliability and bandwidth above 0. */
    final boolean[] usable;
    private final AtomicReferenceArray<double[]> weights =
            new AtomicReferenceArray<>(OptimizationGoal.values().length);

    private GraphState(Structure s, long version, double[] latency, double[] bandwidth, double[] reliability,
                       double[] cost, boolean[] edgeFailed, double[] capacity, double[] load, double[] latitude,
                       double[] longitude, boolean[] nodeFailed) {
        this.s = s;
        this.version = version;
        this.latency = latency;
        this.bandwidth = bandwidth;
        this.reliability = reliability;
        this.cost = cost;
        this.edgeFailed = edgeFailed;
        this.capacity = capacity;
        this.load = load;
        this.latitude = latitude;
        this.longitude = longitude;
        this.nodeFailed = nodeFailed;
        this.usable = new boolean[s.m];
        for (int e = 0; e < s.m; e++) {
            usable[e] = !edgeFailed[e] && !nodeFailed[s.tail[e]] && !nodeFailed[s.head[e]]
                    && reliability[e] > 0 && bandwidth[e] > 0;
        }
    }

    /** Compiles a raw graph into CSR form. */
    public static GraphState compile(RawGraph raw, long version) {
        Structure s = new Structure(raw);
        int m = s.m;
        double[] lat = new double[m];
        double[] bw = new double[m];
        double[] rel = new double[m];
        double[] cost = new double[m];
        boolean[] failed = new boolean[m];
        for (int e = 0; e < m; e++) {
            int r = s.rawIndex[e];
            lat[e] = raw.latency()[r];
            bw[e] = raw.bandwidth()[r];
            rel[e] = raw.reliability()[r];
            cost[e] = raw.cost()[r];
            failed[e] = raw.edgeFailed()[r];
        }
        return new GraphState(s, version, lat, bw, rel, cost, failed, raw.capacity().clone(), raw.load().clone(),
                raw.latitude().clone(), raw.longitude().clone(), raw.nodeFailed().clone());
    }

    /** A new state with every update applied, or an exception and no change at all. */
    public GraphState withUpdates(List<? extends TopologyUpdate> updates, long newVersion) {
        record Resolved(TopologyUpdate u, int index) {}
        Resolved[] resolved = new Resolved[updates.size()];
        boolean edgeMetrics = false, edgeStatus = false, nodeLoad = false, nodeStatus = false;
        for (int i = 0; i < resolved.length; i++) {
            TopologyUpdate u = updates.get(i);
            int idx = switch (u) {
                case TopologyUpdate.EdgeMetricsChanged c -> { edgeMetrics = true; yield edgeOf(c.link().from(), c.link().to()); }
                case TopologyUpdate.EdgeStatusChanged c -> { edgeStatus = true; yield edgeOf(c.link().from(), c.link().to()); }
                case TopologyUpdate.NodeLoadChanged c -> { nodeLoad = true; yield nodeOf("node", c.node()); }
                case TopologyUpdate.NodeStatusChanged c -> { nodeStatus = true; yield nodeOf("node", c.node()); }
            };
            resolved[i] = new Resolved(u, idx);
        }
        double[] lat = edgeMetrics ? latency.clone() : latency;
        double[] bw = edgeMetrics ? bandwidth.clone() : bandwidth;
        double[] rel = edgeMetrics ? reliability.clone() : reliability;
        double[] cst = edgeMetrics ? cost.clone() : cost;
        boolean[] ef = edgeStatus ? edgeFailed.clone() : edgeFailed;
        double[] ld = nodeLoad ? load.clone() : load;
        boolean[] nf = nodeStatus ? nodeFailed.clone() : nodeFailed;
        for (Resolved r : resolved) {
            switch (r.u()) {
                case TopologyUpdate.EdgeMetricsChanged c -> {
                    EdgeMetrics mm = c.metrics();
                    lat[r.index()] = mm.latencyMs();
                    bw[r.index()] = mm.bandwidthMbps();
                    rel[r.index()] = mm.reliability();
                    cst[r.index()] = mm.cost();
                }
                case TopologyUpdate.EdgeStatusChanged c -> ef[r.index()] = c.failed();
                case TopologyUpdate.NodeLoadChanged c -> ld[r.index()] = c.currentLoad();
                case TopologyUpdate.NodeStatusChanged c -> nf[r.index()] = c.failed();
            }
        }
        return new GraphState(s, newVersion, lat, bw, rel, cst, ef, capacity, ld, latitude, longitude, nf);
    }

    public int nodeOf(String field, String id) {
        int v = s.node(id);
        if (v < 0) {
            throw new UnknownNodeException(field, id);
        }
        return v;
    }

    private int edgeOf(String from, String to) {
        int e = s.edge(nodeOf("link.from", from), nodeOf("link.to", to));
        if (e < 0) {
            throw new IllegalArgumentException("link: no edge " + from + "->" + to);
        }
        return e;
    }

    public EdgeMetrics metrics(int e) {
        return new EdgeMetrics(latency[e], bandwidth[e], reliability[e], cost[e]);
    }

    public NodeMetadata node(int v) {
        Optional<GeoLocation> loc = Double.isNaN(latitude[v])
                ? Optional.empty() : Optional.of(new GeoLocation(latitude[v], longitude[v]));
        return new NodeMetadata(loc, capacity[v], load[v]);
    }

    public boolean nodeFailed(int v) {
        return nodeFailed[v];
    }

    public boolean edgeFailed(int e) {
        return edgeFailed[e];
    }

    public boolean usable(int e) {
        return usable[e];
    }

    public double utilisation(int v) {
        return load[v] / capacity[v];
    }

    /** Edge weights of an additive goal (not MAXIMIZE_BANDWIDTH), computed once per state. */
    double[] weights(OptimizationGoal goal) {
        double[] w = weights.get(goal.ordinal());
        if (w == null) {
            w = computeWeights(goal);
            weights.compareAndSet(goal.ordinal(), null, w);
            w = weights.get(goal.ordinal());
        }
        return w;
    }

    /** Mean over usable edges of a per-edge quantity; 1 when there is none or the mean is 0. */
    private double meanOverUsable(java.util.function.IntToDoubleFunction f) {
        double sum = 0;
        long count = 0;
        for (int e = 0; e < s.m; e++) {
            if (usable[e]) {
                sum += f.applyAsDouble(e);
                count++;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        return mean > 0 && Double.isFinite(mean) ? mean : 1.0;
    }

    /** Mean edge latency over usable edges (1 when none or 0): the latency scale of BALANCED and LOAD_AWARE. */
    public double latencyScale() {
        return meanOverUsable(e -> latency[e]);
    }

    /** The LOAD_AWARE queueing penalty factor of a node at utilisation {@code rho}. */
    public static double loadPenalty(double rho) {
        if (rho <= LOAD_KNEE) {
            return rho / (1 - rho);
        }
        double slope = 1 / ((1 - LOAD_KNEE) * (1 - LOAD_KNEE));
        return LOAD_KNEE / (1 - LOAD_KNEE) + slope * (rho - LOAD_KNEE);
    }

    private double[] computeWeights(OptimizationGoal goal) {
        int m = s.m;
        return switch (goal) {
            case MINIMIZE_LATENCY -> latency;
            case MINIMIZE_COST -> cost;
            case MINIMIZE_HOPS -> {
                double[] w = new double[m];
                Arrays.fill(w, 1.0);
                yield w;
            }
            case MAXIMIZE_RELIABILITY, MAXIMIZE_BANDWIDTH -> {
                // MAXIMIZE_BANDWIDTH is searched as widest path; its additive weights are unused,
                // the slot holds -ln r like MAXIMIZE_RELIABILITY to keep the switch total.
                double[] w = new double[m];
                for (int e = 0; e < m; e++) {
                    w[e] = 0.0 - Math.log(reliability[e]);
                }
                yield w;
            }
            case BALANCED -> {
                double lScale = latencyScale();
                double cScale = meanOverUsable(e -> cost[e]);
                double rScale = meanOverUsable(e -> 0.0 - Math.log(reliability[e]));
                double bScale = meanOverUsable(e -> bandwidth[e]);
                double[] w = new double[m];
                for (int e = 0; e < m; e++) {
                    w[e] = BALANCED_LATENCY * latency[e] / lScale
                            + BALANCED_COST * cost[e] / cScale
                            + BALANCED_RELIABILITY * (0.0 - Math.log(reliability[e])) / rScale
                            + BALANCED_BANDWIDTH * bScale / bandwidth[e];
                }
                yield w;
            }
            case LOAD_AWARE -> {
                double lScale = latencyScale();
                double[] w = new double[m];
                for (int e = 0; e < m; e++) {
                    w[e] = latency[e] + lScale * loadPenalty(load[s.head[e]] / capacity[s.head[e]]);
                }
                yield w;
            }
        };
    }

    /** Approximate heap bytes of this state, the shared structure included. */
    public long footprintBytes() {
        return s.footprintBytes() + 8L * 4 * s.m + 2L * s.m + 8L * 4 * s.n + s.n;
    }
}
