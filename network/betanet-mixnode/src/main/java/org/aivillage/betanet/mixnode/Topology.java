package org.aivillage.betanet.mixnode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A topology document: every mixnode and gateway with its Sphinx keys, the key-epoch schedule, a
 * serial number and a validity window. Signed by the directory authority ({@link TopologyCodec}).
 */
public record Topology(long serial, Instant issuedAt, Instant validUntil, Duration keyEpochLength,
                       List<TopologyNode> nodes) {
    public Topology {
        if (issuedAt == null || validUntil == null || keyEpochLength == null || keyEpochLength.toSeconds() < 1
                || nodes == null || nodes.size() > 4096) {
            throw new IllegalArgumentException("malformed topology");
        }
        nodes = List.copyOf(nodes);
    }

    /** The key epoch containing {@code t}: floor(unix seconds / epoch length). */
    public long keyEpochAt(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), keyEpochLength.toSeconds());
    }

    public List<TopologyNode> mixnodes() {
        return nodes.stream().filter(n -> n.role() == TopologyNode.Role.MIX).toList();
    }

    public List<TopologyNode> gateways() {
        return nodes.stream().filter(n -> n.role() == TopologyNode.Role.GATEWAY).toList();
    }

    /** Mixnodes of one layer (1-based), in document order. */
    public List<TopologyNode> layer(int layer) {
        return mixnodes().stream().filter(n -> n.layer() == layer).toList();
    }

    public int layerCount() {
        return mixnodes().stream().mapToInt(TopologyNode::layer).max().orElse(0);
    }

    public Map<RouteId, TopologyNode> byRouteId() {
        return nodes.stream().collect(Collectors.toMap(TopologyNode::routeId, Function.identity(), (a, b) -> a));
    }

    public Optional<TopologyNode> node(RouteId id) {
        return nodes.stream().filter(n -> n.routeId().equals(id)).findFirst();
    }

    public boolean isFresh(Instant now) {
        return !now.isAfter(validUntil) && !issuedAt.isAfter(now.plusSeconds(300));
    }
}
