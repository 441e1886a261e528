package org.aivillage.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceRequirements;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.internal.Placement.NodeCapacity;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final ServiceDefinition SVC = new ServiceDefinition("svc", "1", List.of(),
            new ResourceRequirements(1, 100));

    private static NodeCapacity node(String name, double cpuUsed, int agents) {
        return new NodeCapacity(name, 4, 1000, 10, cpuUsed, (long) (cpuUsed * 100), agents, Set.of("svc@1"));
    }

    private static List<String> place(List<NodeCapacity> nodes, int replicas, PlacementStrategy s) {
        return Placement.place(nodes, SVC, replicas, s, "b", "agent");
    }

    @Test
    void balancedPicksTheLeastLoadedNodeForEachReplica() {
        List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 0, 0), node("c", 1, 1));
        assertThat(place(nodes, 3, PlacementStrategy.BALANCED)).containsExactly("b", "b", "c");
    }

    @Test
    void spreadUsesDistinctNodesAndFailsWhenTooFewFit() {
        List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 0, 0), node("c", 1, 1));
        assertThat(place(nodes, 3, PlacementStrategy.SPREAD)).containsExactly("b", "c", "a");
        assertThatThrownBy(() -> place(nodes, 4, PlacementStrategy.SPREAD)).isInstanceOf(FabricException.class)
                .hasMessageContaining("replica 4 of 4")
                .hasMessageContaining("a: already hosts a replica of this agent");
    }

    @Test
    void binpackFillsTheFullestNodeThatStillFits() {
        List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 0, 0), node("c", 1, 1));
        assertThat(place(nodes, 3, PlacementStrategy.BINPACK)).containsExactly("a", "a", "c");
    }

    @Test
    void localStaysOnTheRequestingNode() {
        List<NodeCapacity> nodes = List.of(node("a", 0, 0), node("b", 2, 0));
        assertThat(place(nodes, 2, PlacementStrategy.LOCAL)).containsExactly("b", "b");
        assertThatThrownBy(() -> place(nodes, 3, PlacementStrategy.LOCAL))
                .hasMessageContaining("b: 4.00 of 4.00 cpu reserved");
        assertThatThrownBy(() -> Placement.place(nodes, SVC, 1, PlacementStrategy.LOCAL, "zz", "x"))
                .hasMessageContaining("zz: not a known node");
    }

    @Test
    void nodesWithoutTheServiceAreSkippedWithAReason() {
        NodeCapacity other = new NodeCapacity("x", 64, 64000, 100, 0, 0, 0, Set.of("other@1"));
        assertThatThrownBy(() -> place(List.of(other), 1, PlacementStrategy.BALANCED))
                .hasMessageContaining("x: does not run svc@1");
        assertThatThrownBy(() -> place(List.of(), 1, PlacementStrategy.BALANCED)).hasMessageContaining("no nodes are up");
    }

    @Test
    void replacementPrefersDistinctThenFittingThenOvercommit() {
        List<NodeCapacity> nodes = List.of(node("a", 0, 0), node("b", 1, 1), node("c", 4, 4));
        assertThat(Placement.replace(nodes, SVC, Set.of("a"))).isEqualTo("b");
        assertThat(Placement.replace(nodes, SVC, Set.of("a", "b"))).isEqualTo("a");
        List<NodeCapacity> full = List.of(node("c", 4, 4), node("d", 3.5, 9));
        assertThat(Placement.replace(full, SVC, Set.of())).isEqualTo("d");
        NodeCapacity other = new NodeCapacity("x", 64, 64000, 100, 0, 0, 0, Set.of("other@1"));
        assertThat(Placement.replace(List.of(other), SVC, Set.of())).isNull();
    }

    @Test
    void placementsNeverExceedLimitsAndSpreadIsDistinct() {
        qt().withExamples(300).forAll(
                lists().of(doubles().between(0, 4)).ofSizeBetween(0, 6),
                integers().between(1, 8),
                integers().between(0, 3),
                doubles().between(0, 2))
                .checkAssert((loads, replicas, strategyIndex, cpu) -> {
                    PlacementStrategy strategy = PlacementStrategy.values()[strategyIndex];
                    ServiceDefinition svc = new ServiceDefinition("svc", "1", List.of(), new ResourceRequirements(cpu, 50));
                    List<NodeCapacity> nodes = new ArrayList<>();
                    for (int i = 0; i < loads.size(); i++) {
                        nodes.add(new NodeCapacity("n" + i, 4, 500, 5, loads.get(i), 0, i % 3, Set.of("svc@1")));
                    }
                    List<String> placed;
                    try {
                        placed = Placement.place(nodes, svc, replicas, strategy, "n0", "a");
                    } catch (FabricException e) {
                        assertThat(e.code()).isEqualTo(FabricException.Code.PLACEMENT_FAILED);
                        return;
                    }
                    assertThat(placed).hasSize(replicas);
                    Map<String, Integer> count = new HashMap<>();
                    placed.forEach(n -> count.merge(n, 1, Integer::sum));
                    for (NodeCapacity n : nodes) {
                        int k = count.getOrDefault(n.node(), 0);
                        assertThat(n.cpuReserved() + k * cpu).isLessThanOrEqualTo(4 + 1e-6);
                        assertThat(k * 50L).isLessThanOrEqualTo(500);
                        assertThat(n.agents() + k).isLessThanOrEqualTo(5);
                    }
                    if (strategy == PlacementStrategy.SPREAD) {
                        assertThat(new HashSet<>(placed)).hasSize(replicas);
                    }
                    if (strategy == PlacementStrategy.LOCAL) {
                        assertThat(placed).containsOnly("n0");
                    }
                });
    }
}
