package org.aivillage.cli.navigator;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.aivillage.navigator.NetworkGraph;
import org.aivillage.navigator.OptimizationGoal;
import org.aivillage.navigator.PathConstraints;
import org.aivillage.navigator.RoutingRequest;
import picocli.CommandLine.Option;

/** Options shared by the path queries: the graph, the endpoints, the goal and the constraints. */
final class QueryOptions {
    @Option(names = "--graph", required = true, paramLabel = "FILE", description = "graph file (JSON, see docs/navigator.md)")
    Path graph;

    @Option(names = "--from", required = true, paramLabel = "NODE", description = "source node id")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NODE", description = "destination node id")
    String to;

    @Option(names = "--goal", paramLabel = "GOAL", defaultValue = "minimize_latency",
            description = "minimize_latency, minimize_cost, maximize_reliability, maximize_bandwidth, "
                    + "minimize_hops, balanced or load_aware (default: ${DEFAULT-VALUE})")
    String goal;

    @Option(names = "--max-latency", paramLabel = "MS", description = "upper limit on total latency (ms)")
    Double maxLatency;

    @Option(names = "--min-bandwidth", paramLabel = "MBPS", description = "lower limit on every edge's bandwidth (Mbit/s)")
    Double minBandwidth;

    @Option(names = "--min-reliability", paramLabel = "P", description = "lower limit on the product of reliabilities")
    Double minReliability;

    @Option(names = "--max-hops", paramLabel = "N", description = "upper limit on the number of edges")
    Integer maxHops;

    @Option(names = "--avoid", split = ",", paramLabel = "NODE", description = "nodes to avoid (comma-separated)")
    List<String> avoid = List.of();

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    NetworkGraph readGraph() throws GraphFile.BadFileException {
        return GraphFile.readGraph(graph);
    }

    /** The request; IllegalArgumentException names a bad option value. */
    RoutingRequest request() {
        PathConstraints c = PathConstraints.NONE;
        if (maxLatency != null) {
            c = c.withMaxLatency(maxLatency);
        }
        if (minBandwidth != null) {
            c = c.withMinBandwidth(minBandwidth);
        }
        if (minReliability != null) {
            c = c.withMinReliability(minReliability);
        }
        if (maxHops != null) {
            c = c.withMaxHops(maxHops);
        }
        return new RoutingRequest(from, to, c, OptimizationGoal.parse(goal), Set.copyOf(avoid), Set.of());
    }
}
