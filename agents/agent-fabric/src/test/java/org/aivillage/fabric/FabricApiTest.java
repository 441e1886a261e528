package org.aivillage.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aivillage.config.ConfigLoader;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric API over real HTTP on 127.0.0.1, through {@link FabricClient}, against an embedded node. */
class FabricApiTest {
    static FabricNode node;
    static FabricClient client;

    @BeforeAll
    static void start() {
        node = FabricNode.start(AgentConfig.embedded("api-node", 8), new InetSocketAddress("127.0.0.1", 0));
        client = new FabricClient("127.0.0.1:" + node.apiAddress().getPort(), Duration.ofSeconds(10), node.apiToken());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void deployDiscoverSendStatusUndeploy() {
        assertThat(client.services("*")).extracting(ServiceDefinition::key)
                .containsExactly("echo@1.0.0", "inspect@1.0.0");
        FabricClient.Nodes nodes = client.nodes();
        assertThat(nodes.nodeId()).isEqualTo("api-node");
        assertThat(nodes.ready()).isTrue();
        assertThat(nodes.nodes()).singleElement().satisfies(n -> assertThat(n.services()).contains("echo@1.0.0"));

        AgentId id = client.deploy(new AgentSpec("e", "echo", 2, PlacementStrategy.BALANCED));
        assertThat(client.agents()).containsExactly(id);
        var content = JsonNodeFactory.instance.objectNode().put("q", "hello");
        AgentResponse r = client.send(id, "cli", content, Optional.of(Duration.ofSeconds(5)));
        assertThat(r.content()).isEqualTo(content);
        assertThat(r.node()).isEqualTo("api-node");
        client.sendOneWay(id, "cli", content);
        AgentStatus s = client.status(id);
        assertThat(s.replicas()).hasSize(2);
        assertThat(s.spec().placementStrategy()).isEqualTo(PlacementStrategy.BALANCED);
        client.undeploy(id);
        assertThat(client.agents()).isEmpty();
    }

    @Test
    void metricsReportReadinessReplicasAndMessages() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        FabricNode.bindMetrics(node.fabric(), registry);
        AgentId id = client.deploy(new AgentSpec("m", "echo", 3, PlacementStrategy.LOCAL));
        for (int i = 0; i < 5; i++) {
            client.send(id, "t", JsonNodeFactory.instance.numberNode(i), Optional.empty());
        }
        assertThat(registry.get("fabric_ready").gauge().value()).isEqualTo(1);
        assertThat(registry.get("fabric_nodes").gauge().value()).isEqualTo(1);
        assertThat(registry.get("fabric_replicas_hosted").gauge().value()).isEqualTo(3);
        assertThat(registry.get("fabric_replica_messages_processed").gauge().value()).isEqualTo(5);
        assertThat(registry.get("fabric_replica_messages_failed").gauge().value()).isZero();
        client.undeploy(id);
        assertThat(registry.get("fabric_replicas_hosted").gauge().value()).isZero();
    }

    @Test
    void errorsComeBackWithTheirCodes() {
        assertThatThrownBy(() -> client.deploy(new AgentSpec("x", "nope", 1, PlacementStrategy.LOCAL)))
                .isInstanceOf(FabricException.class)
                .satisfies(e -> assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.SERVICE_NOT_FOUND));
        assertThatThrownBy(() -> client.deploy(new AgentSpec("x", "echo", 9, PlacementStrategy.LOCAL)))
                .satisfies(e -> assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.PLACEMENT_FAILED))
                .hasMessageContaining("agent slots");
        AgentId missing = AgentId.newId("missing");
        assertThatThrownBy(() -> client.status(missing))
                .satisfies(e -> assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.AGENT_NOT_FOUND));
        FabricClient nobody = new FabricClient("127.0.0.1:1", Duration.ofSeconds(2), node.apiToken());
        assertThatThrownBy(nobody::nodes).hasMessageContaining("cannot reach the fabric node at 127.0.0.1:1")
                .satisfies(e -> assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.UNAVAILABLE));
    }

    @Test
    void badRequestsGetClearAnswers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + node.apiAddress().getPort();
        String auth = node.apiToken().authorizationHeader();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/agents")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": ")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("INVALID_ARGUMENT").contains("malformed JSON");
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/agents")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[FabricJson.MAX_DOCUMENT + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/nodes")).header("Authorization", auth).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/agents/not-an-id")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void requestsWithoutTheTokenAreRefusedAndChangeNothing() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + node.apiAddress().getPort();
        List<String> before = client.agents().stream().map(AgentId::value).toList();
        String spec = "{\"name\": \"intruder\", \"service\": \"echo\", \"replicas\": 1}";
        for (String auth : new String[] {null, "Bearer ", "Bearer wrong-token-0123456789012345678901234567890",
            "Basic dXNlcjpwYXNz", FabricApiToken.random().authorizationHeader()}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/agents"))
                    .POST(HttpRequest.BodyPublishers.ofString(spec));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Authorization: %s", auth).isEqualTo(401);
            assertThat(r.body()).contains("UNAUTHORIZED");
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(client.agents().stream().map(AgentId::value).toList()).isEqualTo(before);
        FabricClient stranger = new FabricClient("127.0.0.1:" + node.apiAddress().getPort(), Duration.ofSeconds(5),
                FabricApiToken.random());
        assertThatThrownBy(stranger::nodes).isInstanceOf(FabricException.class)
                .satisfies(e -> assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.UNAUTHORIZED))
                .hasMessageContaining("token");
    }

    @Test
    void configMapsTheFabricSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("village.toml");
        Files.writeString(file, """
                [agents.fabric]
                node_id = "n7"
                max_agents = 42
                cpu_cores = 3
                memory_gb = 1.5
                request_timeout_ms = 1234
                mailbox_capacity = 77
                """);
        VillageConfig config = ConfigLoader.read(file);
        AgentConfig c = AgentConfig.fromConfig(config);
        assertThat(c.nodeId()).isEqualTo("n7");
        assertThat(c.embedded()).isTrue();
        assertThat(c.maxAgents()).isEqualTo(42);
        assertThat(c.resourceLimits()).isEqualTo(new ResourceLimits(3, 1.5));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(1234));
        assertThat(c.mailboxCapacity()).isEqualTo(77);

        Files.writeString(file, """
                [agents.fabric]
                cluster_endpoints = ["127.0.0.1:25520"]
                """);
        VillageConfig noTls = ConfigLoader.read(file);
        assertThatThrownBy(() -> AgentConfig.fromConfig(noTls)).isInstanceOf(UserException.class)
                .hasMessageContaining("needs tls_cert_file, tls_key_file and tls_ca_file");

        Files.writeString(file, """
                [agents.fabric]
                cluster_endpoints = ["127.0.0.1:25520", "[::1]:25521"]
                cluster_bind = "127.0.0.1:25520"
                tls_cert_file = "a.crt"
                tls_key_file = "a.key"
                tls_ca_file = "ca.crt"
                """);
        AgentConfig cluster = AgentConfig.fromConfig(ConfigLoader.read(file));
        assertThat(cluster.embedded()).isFalse();
        assertThat(cluster.cluster()).hasValueSatisfying(s -> {
            assertThat(s.bindPort()).isEqualTo(25520);
            assertThat(s.tls().caFile()).isEqualTo(Path.of("ca.crt"));
        });
        assertThat(AgentConfig.parseEndpoint("[::1]:25521")).containsExactly("::1", "25521");
        assertThat(List.of(cluster.clusterEndpoints().size())).containsExactly(2);
    }
}
