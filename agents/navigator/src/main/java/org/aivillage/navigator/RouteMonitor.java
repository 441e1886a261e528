package org.aivillage.navigator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aivillage.navigator.RouteHealth.Issue;
import org.aivillage.navigator.RouteHealth.Status;

/**
 * Watches one path: every {@link #checkHealth()} measures it on the navigator's current topology
 * and compares with the metrics it had when it was found. Thread-safe (stateless between checks).
 */
public final class RouteMonitor {
    private final Navigator navigator;
    private final Path path;
    private final Optional<RoutingRequest> request;
    private final MonitorThresholds thresholds;

    RouteMonitor(Navigator navigator, Path path, Optional<RoutingRequest> request, MonitorThresholds thresholds) {
        this.navigator = navigator;
        this.path = path;
        this.request = request;
        this.thresholds = thresholds;
    }

    public Path path() {
        return path;
    }

    public Optional<RoutingRequest> request() {
        return request;
    }

    /** HEALTHY, DEGRADED or FAILED, with every reason, on the current topology. */
    public RouteHealth checkHealth() {
        return check(navigator.snapshot(), path, request, thresholds);
    }

    static RouteHealth check(TopologySnapshot snap, Path path, Optional<RoutingRequest> request,
                             MonitorThresholds t) {
        List<Issue> issues = new ArrayList<>();
        List<String> nodes = path.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            String id = nodes.get(i);
            Optional<NodeMetadata> md = snap.nodeMetadata(id);
            if (md.isEmpty()) {
                issues.add(new Issue.NodeIssue(id, Status.FAILED, "node " + id + " is no longer in the topology"));
            } else if (snap.isNodeFailed(id)) {
                issues.add(new Issue.NodeIssue(id, Status.FAILED, "node " + id + " has failed"));
            } else if (i > 0 && i < nodes.size() - 1 && md.get().utilisation() >= t.maxUtilisation()) {
                issues.add(new Issue.NodeIssue(id, Status.DEGRADED, String.format(Locale.ROOT,
                        "node %s utilisation %.3f >= %.3f", id, md.get().utilisation(), t.maxUtilisation())));
            }
        }
        List<EdgeMetrics> now = new ArrayList<>();
        boolean complete = true;
        List<Link> links = path.linkIds();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            EdgeMetrics before = path.links().get(i);
            Optional<EdgeMetrics> m = snap.edgeMetrics(l.from(), l.to());
            if (m.isEmpty()) {
                complete = false;
                issues.add(new Issue.LinkIssue(l, Status.FAILED, "link " + l + " is no longer in the topology"));
                continue;
            }
            EdgeMetrics cur = m.get();
            now.add(cur);
            if (snap.isEdgeFailed(l.from(), l.to())) {
                issues.add(new Issue.LinkIssue(l, Status.FAILED, "link " + l + " has failed"));
            } else if (cur.reliability() == 0 || cur.bandwidthMbps() == 0) {
                issues.add(new Issue.LinkIssue(l, Status.FAILED, "link " + l + " cannot carry traffic"
                        + " (reliability " + cur.reliability() + ", bandwidth " + cur.bandwidthMbps() + ")"));
            } else {
                if (cur.latencyMs() > before.latencyMs() * t.latencyFactor() && cur.latencyMs() > before.latencyMs()) {
                    issues.add(new Issue.LinkIssue(l, Status.DEGRADED, String.format(Locale.ROOT,
                            "link %s latency rose from %.3f to %.3f ms", l, before.latencyMs(), cur.latencyMs())));
                }
                if (cur.bandwidthMbps() < before.bandwidthMbps() * t.bandwidthFactor()) {
                    issues.add(new Issue.LinkIssue(l, Status.DEGRADED, String.format(Locale.ROOT,
                            "link %s bandwidth fell from %.3f to %.3f Mbit/s", l, before.bandwidthMbps(),
                            cur.bandwidthMbps())));
                }
                if (cur.reliability() < before.reliability() - t.reliabilityDrop()) {
                    issues.add(new Issue.LinkIssue(l, Status.DEGRADED, String.format(Locale.ROOT,
                            "link %s reliability fell from %.4f to %.4f", l, before.reliability(), cur.reliability())));
                }
            }
        }
        Optional<Path> current = Optional.empty();
        if (complete) {
            Path p = Path.of(nodes, now);
            current = Optional.of(p);
            if (p.totalLatency() > path.totalLatency() * t.latencyFactor() && p.totalLatency() > path.totalLatency()) {
                issues.add(new Issue.PathIssue(Status.DEGRADED, String.format(Locale.ROOT,
                        "path latency rose from %.3f to %.3f ms", path.totalLatency(), p.totalLatency())));
            }
            if (request.isPresent()) {
                PathConstraints pc = request.get().constraints();
                for (Constraint c : pc.violatedBy(p)) {
                    issues.add(new Issue.PathIssue(Status.DEGRADED, describe(c, p, pc)));
                }
            }
        }
        Status status = Status.HEALTHY;
        for (Issue i : issues) {
            if (i.severity().compareTo(status) > 0) {
                status = i.severity();
            }
        }
        return new RouteHealth(status, issues, current, snap.version());
    }

    private static String describe(Constraint c, Path p, PathConstraints pc) {
        return switch (c) {
            case MAX_LATENCY -> String.format(Locale.ROOT, "path latency %.3f ms exceeds the limit %.3f ms",
                    p.totalLatency(), pc.maxLatencyMs());
            case MIN_BANDWIDTH -> String.format(Locale.ROOT, "path bandwidth %.3f Mbit/s is below the floor %.3f",
                    p.bottleneckBandwidth(), pc.minBandwidthMbps());
            case MIN_RELIABILITY -> String.format(Locale.ROOT, "path reliability %.6f is below the floor %.6f",
                    p.reliability(), pc.minReliability());
            case MAX_HOPS -> "path has " + p.hops() + " hops, more than the limit " + pc.maxHops();
        };
    }
}
