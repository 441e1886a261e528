package org.aivillage.navigator;

import java.util.List;
import java.util.Optional;

/**
 * The state of a monitored path on the current topology.
 *
 * @param status          the worst severity among the issues (HEALTHY when there is none)
 * @param issues          what is wrong, element by element
 * @param current         the path re-measured on the current topology (empty when a node or link
 *                        of it no longer exists)
 * @param topologyVersion the snapshot version the check ran against
 */
public record RouteHealth(Status status, List<Issue> issues, Optional<Path> current, long topologyVersion) {
    public RouteHealth {
        issues = List.copyOf(issues);
    }

    public enum Status { HEALTHY, DEGRADED, FAILED }

    /** One problem of the path. */
    public sealed interface Issue {
        Status severity();

        String reason();

        /** A node of the path (failed, gone, or too busy). */
        record NodeIssue(String node, Status severity, String reason) implements Issue {}

        /** A link of the path (failed, gone, or worse than when the path was found). */
        record LinkIssue(Link link, Status severity, String reason) implements Issue {}

        /** The path as a whole (total latency, or a constraint of its request). */
        record PathIssue(Status severity, String reason) implements Issue {}
    }

    /** The reasons, one per issue. */
    public List<String> reasons() {
        return issues.stream().map(Issue::reason).toList();
    }
}
