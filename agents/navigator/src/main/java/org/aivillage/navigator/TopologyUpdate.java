package org.aivillage.navigator;

/**
 * A change to the metrics or state of an installed topology. A batch of updates is applied
 * atomically by {@link Navigator#applyUpdates}.
 */
public sealed interface TopologyUpdate {

    /** New metrics for an existing directed edge. */
    record EdgeMetricsChanged(Link link, EdgeMetrics metrics) implements TopologyUpdate {}

    /** A new current load for a node. */
    record NodeLoadChanged(String node, double currentLoad) implements TopologyUpdate {
        public NodeLoadChanged {
            Checks.nodeId("node", node);
            Checks.nonNegativeFinite("currentLoad", currentLoad);
        }
    }

    /** A node went down ({@code failed}) or came back. */
    record NodeStatusChanged(String node, boolean failed) implements TopologyUpdate {
        public NodeStatusChanged {
            Checks.nodeId("node", node);
        }
    }

    /** A directed edge went down ({@code failed}) or came back. */
    record EdgeStatusChanged(Link link, boolean failed) implements TopologyUpdate {}
}
