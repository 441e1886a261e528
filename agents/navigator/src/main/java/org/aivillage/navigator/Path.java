package org.aivillage.navigator;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop-free path and its totals, as measured on the topology it was found in.
 *
 * @param nodes               node ids from source to destination (one node when they coincide)
 * @param links               the metrics of each edge, in order, when the path was found
 * @param totalLatency        sum of edge latencies (ms)
 * @param totalCost           sum of edge costs
 * @param bottleneckBandwidth smallest edge bandwidth (Mbit/s); +Infinity for a one-node path
 * @param reliability         product of edge reliabilities
 */
public record Path(List<String> nodes, List<EdgeMetrics> links, double totalLatency, double totalCost,
                   double bottleneckBandwidth, double reliability) {
    public Path {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        if (nodes.isEmpty() || links.size() != nodes.size() - 1) {
            throw new IllegalArgumentException("a path has n >= 1 nodes and n - 1 links");
        }
    }

    /** The path with its totals computed from the links, in order. */
    public static Path of(List<String> nodes, List<EdgeMetrics> links) {
        double latency = 0, cost = 0, bottleneck = Double.POSITIVE_INFINITY, reliability = 1;
        for (EdgeMetrics m : links) {
            latency += m.latencyMs();
            cost += m.cost();
            bottleneck = Math.min(bottleneck, m.bandwidthMbps());
            reliability *= m.reliability();
        }
        return new Path(nodes, links, latency, cost, bottleneck, reliability);
    }

    /** Number of edges. */
    public int hops() {
        return links.size();
    }

    public String source() {
        return nodes.getFirst();
    }

    public String destination() {
        return nodes.getLast();
    }

    /** The directed links of the path, in order. */
    public List<Link> linkIds() {
        List<Link> out = new ArrayList<>(links.size());
        for (int i = 0; i + 1 < nodes.size(); i++) {
            out.add(new Link(nodes.get(i), nodes.get(i + 1)));
        }
        return out;
    }

    @Override
    public String toString() {
        return String.join(" -> ", nodes) + String.format(
                " (latency %.3f ms, cost %.3f, bottleneck %.3f Mbit/s, reliability %.6f, %d hops)",
                totalLatency, totalCost, bottleneckBandwidth, reliability, hops());
    }
}
