package org.aivillage.navigator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unknown nodes, negative or NaN metrics, out-of-range reliabilities: clear errors, nothing changed. */
class BadInputTest {

    private static Navigator triangle() {
        NetworkGraph g = new NetworkGraph();
        for (String id : List.of("A", "B", "C")) {
            g.addNode(id, NodeMetadata.idle());
        }
        g.addBidirectionalEdge("A", "B", new EdgeMetrics(1, 10, 0.9, 1));
        g.addBidirectionalEdge("B", "C", new EdgeMetrics(1, 10, 0.9, 1));
        return new Navigator(g);
    }

    @Test
    void metricsRejectNegativeNanAndOutOfRange() {
        assertThatThrownBy(() -> new EdgeMetrics(-1, 1, 1, 1)).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> new EdgeMetrics(Double.NaN, 1, 1, 1)).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> new EdgeMetrics(1, Double.POSITIVE_INFINITY, 1, 1)).hasMessageContaining("bandwidthMbps");
        assertThatThrownBy(() -> new EdgeMetrics(1, 1, 1.01, 1)).hasMessageContaining("reliability");
        assertThatThrownBy(() -> new EdgeMetrics(1, 1, -0.1, 1)).hasMessageContaining("reliability");
        assertThatThrownBy(() -> new EdgeMetrics(1, 1, Double.NaN, 1)).hasMessageContaining("reliability");
        assertThatThrownBy(() -> new EdgeMetrics(1, 1, 1, -3)).hasMessageContaining("cost");
        assertThatThrownBy(() -> new NodeMetadata(0, 0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new NodeMetadata(1, Double.NaN)).hasMessageContaining("currentLoad");
        assertThatThrownBy(() -> new GeoLocation(91, 0)).hasMessageContaining("latitude");
        assertThatThrownBy(() -> new PathConstraints(Double.NaN, 0, 0, 1)).hasMessageContaining("maxLatencyMs");
        assertThatThrownBy(() -> PathConstraints.NONE.withMinReliability(2)).hasMessageContaining("minReliability");
        assertThatThrownBy(() -> PathConstraints.NONE.withMaxHops(-1)).hasMessageContaining("maxHops");
        assertThatThrownBy(() -> new Contact("a", "b", 10, 10, 1, 0)).hasMessageContaining("endMs");
        assertThatThrownBy(() -> new Contact("a", "b", 0, 10, 0, 0)).hasMessageContaining("rateBytesPerSec");
        assertThatThrownBy(() -> new Contact("a", "a", 0, 10, 1, 0)).hasMessageContaining("different");
        assertThatThrownBy(() -> OptimizationGoal.parse("fastest")).hasMessageContaining("fastest");
        assertThat(OptimizationGoal.parse("load-aware")).isEqualTo(OptimizationGoal.LOAD_AWARE);
    }

    @Test
    void graphBuilderRejectsUnknownNodesAndSelfLoops() {
        NetworkGraph g = new NetworkGraph().addNode("A", NodeMetadata.idle());
        EdgeMetrics m = new EdgeMetrics(1, 1, 1, 1);
        assertThatThrownBy(() -> g.addEdge("A", "Z", m)).isInstanceOf(UnknownNodeException.class)
                .hasMessageContaining("'Z'");
        assertThatThrownBy(() -> g.addEdge("A", "A", m)).hasMessageContaining("self-loop");
        assertThatThrownBy(() -> g.addNode("", NodeMetadata.idle())).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> g.setEdgeFailed("A", "A", true)).hasMessageContaining("no edge");
        assertThat(g.edgeCount()).isZero();
    }

    @Test
    void addingAnExistingEdgeReplacesItsMetrics() {
        NetworkGraph g = new NetworkGraph().addNode("A", NodeMetadata.idle()).addNode("B", NodeMetadata.idle());
        g.addEdge("A", "B", new EdgeMetrics(5, 1, 1, 1));
        g.addEdge("A", "B", new EdgeMetrics(2, 1, 1, 1));
        assertThat(g.edgeCount()).isEqualTo(1);
        assertThat(g.edgeMetrics("A", "B")).contains(new EdgeMetrics(2, 1, 1, 1));
        assertThat(new Navigator(g).findPath(RoutingRequest.of("A", "B")).path().orElseThrow().totalLatency())
                .isEqualTo(2);
    }

    @Test
    void queriesNameTheUnknownNode() {
        Navigator nav = triangle();
        assertThatThrownBy(() -> nav.findPath(RoutingRequest.of("A", "Q")))
                .isInstanceOf(UnknownNodeException.class).hasMessage("destination: unknown node 'Q'");
        assertThatThrownBy(() -> nav.findKShortestPaths("Q", "A", 3))
                .isInstanceOf(UnknownNodeException.class).hasMessage("source: unknown node 'Q'");
        assertThatThrownBy(() -> nav.findKShortestPaths("A", "C", 0)).hasMessageContaining("k must be within 1..10000, got 0");
        assertThatThrownBy(() -> nav.findKShortestPaths("A", "C", 10_001)).hasMessageContaining("k must be within");
        assertThatThrownBy(() -> nav.findParetoPaths(RoutingRequest.of("A", "C"), 0))
                .hasMessageContaining("maxPaths");
    }

    @Test
    void aBadUpdateBatchChangesNothing() {
        Navigator nav = triangle();
        TopologySnapshot before = nav.snapshot();
        assertThatThrownBy(() -> nav.applyUpdates(List.of(
                new TopologyUpdate.NodeLoadChanged("A", 5),
                new TopologyUpdate.EdgeMetricsChanged(new Link("A", "C"), new EdgeMetrics(1, 1, 1, 1)))))
                .hasMessageContaining("no edge A->C");
        assertThatThrownBy(() -> nav.updateNodeLoad("Z", 1)).isInstanceOf(UnknownNodeException.class);
        assertThatThrownBy(() -> nav.updateNodeLoad("A", -1)).hasMessageContaining("currentLoad");
        assertThat(nav.snapshot()).isSameAs(before);
        assertThat(nav.snapshot().nodeMetadata("A").orElseThrow().currentLoad()).isZero();
    }

    @Test
    void avoidingUnknownElementsIsHarmlessAndEndpointsCannotBeAvoided() {
        Navigator nav = triangle();
        RoutingRequest r = RoutingRequest.of("A", "C").avoiding(Set.of("nowhere", "A", "C"),
                Set.of(new Link("x", "y")));
        assertThat(nav.findPath(r).path().orElseThrow().nodes()).containsExactly("A", "B", "C");
    }

    @Test
    void sourceEqualsDestinationIsTheOneNodePath() {
        Navigator nav = triangle();
        Path p = nav.findPath(RoutingRequest.of("B", "B")).path().orElseThrow();
        assertThat(p.nodes()).containsExactly("B");
        assertThat(p.hops()).isZero();
        assertThat(p.reliability()).isEqualTo(1);
        assertThat(nav.findKShortestPaths("B", "B", 4)).containsExactly(p);
        nav.setNodeFailed("B", true);
        assertThat(nav.findPath(RoutingRequest.of("B", "B"))).isInstanceOf(RouteResult.NoRoute.class);
    }
}
