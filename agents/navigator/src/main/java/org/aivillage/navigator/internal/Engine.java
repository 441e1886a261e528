package org.aivillage.navigator.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.aivillage.navigator.Constraint;
import org.aivillage.navigator.EdgeMetrics;
import org.aivillage.navigator.Link;
import org.aivillage.navigator.OptimizationGoal;
import org.aivillage.navigator.ParetoFrontier;
import org.aivillage.navigator.Path;
import org.aivillage.navigator.PathConstraints;
import org.aivillage.navigator.RouteResult;
import org.aivillage.navigator.RoutingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs requests against one {@link GraphState}: the entry point of every search. */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Largest k for k-shortest paths: bounds the candidate queue and the result. */
    public static final int MAX_K = 10_000;

    private final GraphState g;
    private final RoutingRequest request;
    private final int src;
    private final int dst;
    private final boolean[] allowed;
    private final int maxLabels;

    public Engine(GraphState g, RoutingRequest request, int maxLabels) {
        this.g = g;
        this.request = request;
        this.src = g.nodeOf("source", request.source());
        this.dst = g.nodeOf("destination", request.destination());
        this.allowed = allowedEdges(g, request, src, dst);
        this.maxLabels = maxLabels;
    }

    /** The usable edges minus those the request avoids (unknown avoided ids are trivially avoided). */
    private static boolean[] allowedEdges(GraphState g, RoutingRequest r, int src, int dst) {
        if (r.avoidNodes().isEmpty() && r.avoidLinks().isEmpty()) {
            return g.usable;
        }
        Structure s = g.s;
        boolean[] a = g.usable.clone();
        for (String id : r.avoidNodes()) {
            int v = s.node(id);
            if (v < 0 || v == src || v == dst) {
                continue;
            }
            for (int e = s.outStart[v]; e < s.outStart[v + 1]; e++) {
                a[e] = false;
            }
            for (int i = s.inStart[v]; i < s.inStart[v + 1]; i++) {
                a[s.inEdges[i]] = false;
            }
        }
        for (Link l : r.avoidLinks()) {
            int f = s.node(l.from());
            int t = s.node(l.to());
            int e = f < 0 || t < 0 ? -1 : s.edge(f, t);
            if (e >= 0) {
                a[e] = false;
            }
        }
        return a;
    }

    private Ctx ctx() {
        return new Ctx(g, allowed);
    }

    // ---------------------------------------------------------------- single path

    public RouteResult findPath() {
        OptimizationGoal goal = request.optimizationGoal();
        PathConstraints pc = request.constraints();
        if (src == dst) {
            if (g.nodeFailed(src)) {
                return new RouteResult.NoRoute(RouteResult.Kind.UNREACHABLE, Set.of(), Optional.empty(),
                        "node " + request.source() + " has failed");
            }
            return new RouteResult.Found(toPath(src, new int[0]));
        }
        try (Ctx c = ctx()) {
            Solver solver = Solver.of(c, src, dst, goal, pc, maxLabels);
            int[] edges = solver.best(src, Solver.State.START, false);
            if (edges != null) {
                return new RouteResult.Found(toPath(src, edges));
            }
            if (solver.limitHit) {
                return new RouteResult.NoRoute(RouteResult.Kind.SEARCH_LIMIT, Set.of(), Optional.empty(),
                        "the constrained search reached its budget of " + maxLabels + " labels");
            }
            return diagnose(c, goal, pc);
        }
    }

    /** Says why no path meets the request. */
    private RouteResult.NoRoute diagnose(Ctx c, OptimizationGoal goal, PathConstraints pc) {
        PathConstraints none = PathConstraints.NONE;
        int[] any = Solver.of(c, src, dst, goal, none, maxLabels).best(src, Solver.State.START, false);
        if (any == null) {
            String why = g.nodeFailed(src) ? "source " + request.source() + " has failed"
                    : g.nodeFailed(dst) ? "destination " + request.destination() + " has failed"
                    : "no usable path from " + request.source() + " to " + request.destination()
                            + " (failed, avoided or missing links)";
            return new RouteResult.NoRoute(RouteResult.Kind.UNREACHABLE, Set.of(), Optional.empty(), why);
        }
        Path unfiltered = toPath(src, any);
        if (pc.limitsBandwidth()) {
            PathConstraints bwOnly = none.withMinBandwidth(pc.minBandwidthMbps());
            int[] p = Solver.of(c, src, dst, goal, bwOnly, maxLabels).best(src, Solver.State.START, false);
            if (p == null) {
                double widest = Searches.widest(c, src, dst, 0, false);
                return new RouteResult.NoRoute(RouteResult.Kind.CONSTRAINT, Set.of(Constraint.MIN_BANDWIDTH),
                        Optional.of(unfiltered), String.format(Locale.ROOT,
                        "no path offers %.3f Mbit/s: the widest offers %.3f Mbit/s", pc.minBandwidthMbps(), widest));
            }
            unfiltered = toPath(src, p);
        }
        Path best = unfiltered;
        double bw = pc.minBandwidthMbps();
        EnumSet<Constraint> alone = EnumSet.noneOf(Constraint.class);
        List<String> reasons = new ArrayList<>();
        if (pc.limitsLatency()) {
            Path fastest = toPath(src, Solver.of(c, src, dst, OptimizationGoal.MINIMIZE_LATENCY,
                    none.withMinBandwidth(bw), maxLabels).best(src, Solver.State.START, false));
            if (fastest.totalLatency() > pc.maxLatencyMs()) {
                alone.add(Constraint.MAX_LATENCY);
                reasons.add(String.format(Locale.ROOT, "no path is within %.3f ms: the fastest takes %.3f ms",
                        pc.maxLatencyMs(), fastest.totalLatency()));
            }
        }
        if (pc.limitsReliability()) {
            Path safest = toPath(src, Solver.of(c, src, dst, OptimizationGoal.MAXIMIZE_RELIABILITY,
                    none.withMinBandwidth(bw), maxLabels).best(src, Solver.State.START, false));
            if (safest.reliability() < pc.minReliability()) {
                alone.add(Constraint.MIN_RELIABILITY);
                reasons.add(String.format(Locale.ROOT,
                        "no path reaches reliability %.6f: the most reliable has %.6f",
                        pc.minReliability(), safest.reliability()));
            }
        }
        if (pc.limitsHops()) {
            Path shortest = toPath(src, Solver.of(c, src, dst, OptimizationGoal.MINIMIZE_HOPS,
                    none.withMinBandwidth(bw), maxLabels).best(src, Solver.State.START, false));
            if (shortest.hops() > pc.maxHops()) {
                alone.add(Constraint.MAX_HOPS);
                reasons.add("no path has at most " + pc.maxHops() + " hops: the shortest has " + shortest.hops());
            }
        }
        if (!alone.isEmpty()) {
            return new RouteResult.NoRoute(RouteResult.Kind.CONSTRAINT, alone, Optional.of(best),
                    String.join("; ", reasons));
        }
        Set<Constraint> violated = pc.violatedBy(best);
        return new RouteResult.NoRoute(RouteResult.Kind.CONSTRAINTS_COMBINED, violated, Optional.of(best),
                "each constraint can be met alone but not all together; the best path for "
                        + goal.id() + " violates " + violated);
    }

    // ---------------------------------------------------------------- k shortest (Yen)

    private record Candidate(int[] edges, double key1, double key2, int deviation) {}

    private record EdgeSeq(int[] edges) {
        @Override
        public boolean equals(Object o) {
            return o instanceof EdgeSeq other && Arrays.equals(edges, other.edges);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(edges);
        }
    }

    /**
     * Yen's k shortest loopless paths with Lawler's improvement (each path is only deviated from at
     * or after the node where it left its parent). Spur paths come from the same exact solver as
     * {@link #findPath()}, started from the root path's totals, so constraints hold for whole paths.
     */
    public List<Path> kShortest(int k) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be within 1.." + MAX_K + ", got " + k);
        }
        OptimizationGoal goal = request.optimizationGoal();
        if (src == dst) {
            return g.nodeFailed(src) ? List.of() : List.of(toPath(src, new int[0]));
        }
        try (Ctx c = ctx()) {
            Solver solver = Solver.of(c, src, dst, goal, request.constraints(), maxLabels);
            solver.prepareForRepeatedUse();
            double[] w = solver.weights();
            int[] first = solver.best(src, Solver.State.START, false);
            if (first == null) {
                return List.of();
            }
            List<Candidate> accepted = new ArrayList<>();
            accepted.add(candidate(w, first, 0));
            PriorityQueue<Candidate> pending = new PriorityQueue<>((a, b) -> {
                int x = Double.compare(a.key1(), b.key1());
                if (x != 0) {
                    return x;
                }
                x = Double.compare(a.key2(), b.key2());
                return x != 0 ? x : Integer.compare(a.edges().length, b.edges().length);
            });
            Set<EdgeSeq> known = new HashSet<>();
            known.add(new EdgeSeq(first));
            Workspace ws = c.ws;
            while (accepted.size() < k) {
                Candidate prev = accepted.getLast();
                int[] p = prev.edges();
                Solver.State root = Solver.State.START;
                for (int i = 0; i < prev.deviation(); i++) {
                    root = root.plus(g, w, p[i]);
                }
                for (int i = prev.deviation(); i < p.length; i++) {
                    int spurNode = g.s.tail[p[i]];
                    int bg = ws.nextBlockGen();
                    for (int j = 0; j < i; j++) {
                        ws.blockedNode[g.s.tail[p[j]]] = bg;
                    }
                    for (Candidate a : accepted) {
                        int[] q = a.edges();
                        if (q.length > i && Arrays.equals(q, 0, i, p, 0, i)) {
                            ws.blockedEdge[q[i]] = bg;
                        }
                    }
                    int[] spur = solver.best(spurNode, root, true);
                    if (solver.limitHit) {
                        LOG.warn("k-shortest search stopped after {} paths: label budget {} reached",
                                accepted.size(), maxLabels);
                        return toPaths(accepted);
                    }
                    if (spur != null) {
                        int[] full = Arrays.copyOf(p, i + spur.length);
                        System.arraycopy(spur, 0, full, i, spur.length);
                        if (known.add(new EdgeSeq(full))) {
                            pending.add(candidate(w, full, i));
                        }
                    }
                    root = root.plus(g, w, p[i]);
                }
                Candidate next = pending.poll();
                if (next == null) {
                    break;
                }
                accepted.add(next);
            }
            return toPaths(accepted);
        }
    }

    private Candidate candidate(double[] w, int[] edges, int deviation) {
        if (w != null) {
            double sum = 0;
            for (int e : edges) {
                sum += w[e];
            }
            return new Candidate(edges, sum, 0, deviation);
        }
        double bottleneck = Double.POSITIVE_INFINITY;
        double lat = 0;
        for (int e : edges) {
            bottleneck = Math.min(bottleneck, g.bandwidth[e]);
            lat += g.latency[e];
        }
        return new Candidate(edges, -bottleneck, lat, deviation);
    }

    private List<Path> toPaths(List<Candidate> cs) {
        List<Path> out = new ArrayList<>(cs.size());
        for (Candidate cand : cs) {
            out.add(toPath(src, cand.edges()));
        }
        return out;
    }

    // ---------------------------------------------------------------- Pareto

    public ParetoFrontier pareto(int maxPaths) {
        if (maxPaths < 1) {
            throw new IllegalArgumentException("maxPaths must be >= 1, got " + maxPaths);
        }
        if (src == dst) {
            return new ParetoFrontier(g.nodeFailed(src) ? List.of() : List.of(toPath(src, new int[0])), true, false);
        }
        try (Ctx c = ctx()) {
            ParetoSearch ps = new ParetoSearch(c, request.constraints(), maxLabels);
            List<int[]> found = ps.run(src, dst);
            List<Path> paths = new ArrayList<>(found.size());
            for (int[] edges : found) {
                paths.add(toPath(src, edges));
            }
            paths.sort((a, b) -> {
                int x = Double.compare(a.totalLatency(), b.totalLatency());
                return x != 0 ? x : Double.compare(a.totalCost(), b.totalCost());
            });
            boolean truncated = paths.size() > maxPaths;
            if (truncated) {
                paths = thin(paths, maxPaths);
            }
            return new ParetoFrontier(paths, !ps.limitHit, truncated);
        }
    }

    /** Keeps the three extremes and fills up with paths evenly spaced in latency order. */
    private static List<Path> thin(List<Path> sorted, int max) {
        Set<Path> keep = new java.util.LinkedHashSet<>();
        keep.add(sorted.getFirst());
        Path cheapest = sorted.getFirst();
        Path safest = sorted.getFirst();
        for (Path p : sorted) {
            if (p.totalCost() < cheapest.totalCost()) {
                cheapest = p;
            }
            if (p.reliability() > safest.reliability()) {
                safest = p;
            }
        }
        if (keep.size() < max) {
            keep.add(cheapest);
        }
        if (keep.size() < max) {
            keep.add(safest);
        }
        int n = sorted.size();
        for (int i = 0; keep.size() < max && i < max; i++) {
            keep.add(sorted.get((int) ((long) i * (n - 1) / Math.max(1, max - 1))));
        }
        for (int i = 0; keep.size() < max; i++) {
            keep.add(sorted.get(i));
        }
        List<Path> out = new ArrayList<>(keep);
        out.sort((a, b) -> {
            int x = Double.compare(a.totalLatency(), b.totalLatency());
            return x != 0 ? x : Double.compare(a.totalCost(), b.totalCost());
        });
        return out;
    }

    // ---------------------------------------------------------------- paths

    private Path toPath(int from, int[] edges) {
        List<String> nodes = new ArrayList<>(edges.length + 1);
        List<EdgeMetrics> links = new ArrayList<>(edges.length);
        nodes.add(g.s.names[from]);
        for (int e : edges) {
            nodes.add(g.s.names[g.s.head[e]]);
            links.add(g.metrics(e));
        }
        return Path.of(nodes, links);
    }
}
