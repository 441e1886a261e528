package org.aivillage.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.AgentFabric;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.BuiltinServices;
import org.aivillage.fabric.ClusterSettings;
import org.aivillage.fabric.FabricCertificates;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceLimits;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two cluster nodes in one JVM over TLS on loopback: registry replication, placement, messaging, undeploy. */
class TwoNodeClusterTest {
    @TempDir
    static Path dir;
    static AgentFabric a;
    static AgentFabric b;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!holds(condition)) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (FabricException e) {
            return false;
        }
    }

    static AgentFabric node(String id, int port, List<String> seeds, TlsSettings tls) {
        AgentFabric f = new AgentFabric(AgentConfig.cluster(id, seeds, 10, new ResourceLimits(2, 1),
                new ClusterSettings("127.0.0.1", port, tls)));
        for (ServiceBinding s : new BuiltinServices().services()) {
            f.registerService(s);
        }
        return f;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Map<String, TlsSettings> certs = FabricCertificates.generate(dir, List.of("a", "b"), Duration.ofDays(1));
        int pa = freePort();
        int pb = freePort();
        // One seed: a founds the cluster at once, b joins it (ClusterProcessTest covers several seeds).
        List<String> seeds = List.of("127.0.0.1:" + pa);
        a = node("a", pa, seeds, certs.get("a"));
        b = node("b", pb, seeds, certs.get("b"));
        a.registerService(ServiceDefinition.of("only-on-a", "1"), () -> (c, m) -> m.content());
        a.start();
        b.start();
        assertThat(a.awaitReady(Duration.ofSeconds(60))).isTrue();
        assertThat(b.awaitReady(Duration.ofSeconds(60))).isTrue();
        await("both nodes see each other with their services", () -> a.nodes().size() == 2 && b.nodes().size() == 2);
        assertThat(Files.readString(certs.get("a").certFile())).contains("BEGIN CERTIFICATE");
    }

    @AfterAll
    static void stopCluster() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void spreadsReplicasAndAnswersFromBothNodes() throws Exception {
        assertThat(b.discoverServices("only-*")).extracting(ServiceDefinition::key).containsExactly("only-on-a@1");
        AgentId id = b.deployAgent(new AgentSpec("inspector", "inspect", 2, PlacementStrategy.SPREAD));
        await("replicas running", () -> a.getAgentStatus(id).state() == AgentState.RUNNING);
        AgentStatus s = b.getAgentStatus(id);
        assertThat(s.replicas()).extracting(r -> r.node().orElseThrow()).containsExactlyInAnyOrder("a", "b");
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ObjectNode content = JsonNodeFactory.instance.objectNode().put("i", i);
            AgentResponse r = a.sendMessage(new AgentMessage(id, "test", content), Duration.ofSeconds(10));
            assertThat(r.content().get("content")).isEqualTo(content);
            assertThat(r.content().get("node").asText()).isEqualTo(r.node());
            nodes.add(r.node());
        }
        assertThat(nodes).containsExactlyInAnyOrder("a", "b");

        AgentId pinned = b.deployAgent(new AgentSpec("p", "only-on-a", 1, PlacementStrategy.BALANCED));
        await("pinned running", () -> b.getAgentStatus(pinned).state() == AgentState.RUNNING);
        assertThat(b.getAgentStatus(pinned).replicas().get(0).node()).contains("a");
        assertThat(b.sendMessage(new AgentMessage(pinned, "t", JsonNodeFactory.instance.textNode("hi"))).node())
                .isEqualTo("a");

        b.undeployAgent(id);
        await("undeploy replicated", () -> a.listAgents().equals(List.of(pinned)));
        await("replicas stopped", () -> a.nodes().stream().mapToInt(n -> n.agents()).sum() == 1);
        try {
            a.getAgentStatus(id);
            throw new AssertionError("expected AGENT_NOT_FOUND");
        } catch (FabricException e) {
            assertThat(e.code()).isEqualTo(FabricException.Code.AGENT_NOT_FOUND);
        }
    }
}
