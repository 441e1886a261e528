package org.aivillage.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class FabricJsonTest {
    private static final Gen<String> NAMES = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 12);

    private static Gen<AgentSpec> specs() {
        return NAMES.zip(NAMES, integers().between(1, AgentSpec.MAX_REPLICAS), integers().between(0, 3),
                (name, svc, replicas, s) -> new AgentSpec(name, svc + "@1." + replicas, replicas,
                        PlacementStrategy.values()[s], new RetryPolicy(1 + replicas % 16, Duration.ofMillis(replicas),
                                Duration.ofMillis(replicas * 2L), replicas % 2 == 0)));
    }

    private static Gen<ServiceDefinition> services() {
        return NAMES.zip(NAMES, doubles().between(0, 64), longs().between(0, 1 << 20),
                (n, v, cpu, mem) -> new ServiceDefinition(n, v, List.of("http://" + n), new ResourceRequirements(cpu, mem)));
    }

    private static JsonNode roundTrip(JsonNode n) {
        return FabricJson.parse(FabricJson.bytes(n));
    }

    @Test
    void specsAndServicesRoundTrip() {
        qt().forAll(specs()).checkAssert(s -> assertThat(FabricJson.spec(roundTrip(FabricJson.spec(s)))).isEqualTo(s));
        qt().forAll(services()).checkAssert(d -> assertThat(FabricJson.service(roundTrip(FabricJson.service(d))))
                .isEqualTo(d));
    }

    @Test
    void statusesNodesAndResponsesRoundTrip() {
        qt().forAll(specs(), services(), longs().between(0, Long.MAX_VALUE), booleans().all()).checkAssert((spec, svc, n, b) -> {
            ReplicaStatus r = new ReplicaStatus((int) (n % 1000), b ? Optional.of("node-" + n) : Optional.empty(),
                    AgentState.values()[(int) (n % 5)], n, n / 2, n / 3, (int) (n % 100000),
                    b ? Optional.empty() : Optional.of("err \"" + n + "\"\n"));
            AgentStatus st = new AgentStatus(AgentId.newId(spec.name()), spec, svc, r.state(), List.of(r, r));
            assertThat(FabricJson.status(roundTrip(FabricJson.status(st)))).isEqualTo(st);
            NodeStatus node = new NodeStatus("node-" + n, "127.0.0.1:" + (n % 65536), b,
                    new ResourceLimits(1 + n % 64, 0.5 + n % 100), 1 + (int) (n % 1000), (int) (n % 1000), (n % 64) / 2.0,
                    n % 10000, List.of(svc.key()));
            assertThat(FabricJson.node(roundTrip(FabricJson.node(node)))).isEqualTo(node);
            // Contents as parsed (JSON numbers parse to the smallest fitting node type).
            AgentResponse resp = new AgentResponse(st.id(), (int) (n % 1000), "node", roundTrip(JsonNodeFactory.instance
                    .objectNode().put("n", n).put("s", spec.name())), 1 + (int) (n % 16));
            assertThat(FabricJson.response(roundTrip(FabricJson.response(resp)))).isEqualTo(resp);
            FabricJson.SendRequest req = new FabricJson.SendRequest("me", roundTrip(JsonNodeFactory.instance.numberNode(n)),
                    b ? Optional.of(Duration.ofMillis(1 + n % 100000)) : Optional.empty(), b);
            assertThat(FabricJson.sendRequest(roundTrip(FabricJson.sendRequest(req)))).isEqualTo(req);
        });
    }

    @Test
    void randomBytesOnlyEverGiveInvalidArgument() {
        qt().withExamples(2000).forAll(Gens.bytes(0, 200)).checkAssert(bytes -> {
            try {
                JsonNode n = FabricJson.parse(bytes);
                decodeAll(n);
            } catch (FabricException e) {
                assertThat(e.code()).isEqualTo(FabricException.Code.INVALID_ARGUMENT);
            }
        });
    }

    @Test
    void mutatedDocumentsOnlyEverGiveInvalidArgument() {
        byte[] valid = FabricJson.bytes(FabricJson.spec(new AgentSpec("a", "echo", 2, PlacementStrategy.SPREAD)));
        qt().withExamples(2000).forAll(integers().between(0, valid.length - 1), integers().between(0, 255))
                .checkAssert((pos, value) -> {
                    byte[] mutated = valid.clone();
                    mutated[pos] = (byte) (int) value;
                    try {
                        decodeAll(FabricJson.parse(mutated));
                    } catch (FabricException e) {
                        assertThat(e.code()).isEqualTo(FabricException.Code.INVALID_ARGUMENT);
                    }
                });
    }

    private static void decodeAll(JsonNode n) {
        for (Runnable r : List.<Runnable>of(() -> FabricJson.spec(n), () -> FabricJson.service(n),
                () -> FabricJson.status(n), () -> FabricJson.node(n), () -> FabricJson.response(n),
                () -> FabricJson.sendRequest(n), () -> FabricJson.retry(n), () -> FabricJson.replica(n))) {
            try {
                r.run();
            } catch (FabricException e) {
                assertThat(e.code()).isEqualTo(FabricException.Code.INVALID_ARGUMENT);
            }
        }
    }

    @Test
    void errorsNameTheFieldAndTheOffset() {
        assertThatThrownBy(() -> FabricJson.parse("{\"name\": }".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("malformed JSON at line 1 column").hasMessageContaining("offset 9");
        assertThatThrownBy(() -> FabricJson.spec(FabricJson.parse("{\"name\":\"a\",\"service\":\"s\",\"replicas\":0}"
                .getBytes(StandardCharsets.UTF_8)))).hasMessage("replicas: expected an integer 1..1024");
        assertThatThrownBy(() -> FabricJson.spec(FabricJson.parse("{\"name\":\"a b\",\"service\":\"s\"}"
                .getBytes(StandardCharsets.UTF_8)))).hasMessageContaining("spec: agent name must be");
        assertThatThrownBy(() -> FabricJson.spec(FabricJson.parse("{\"name\":\"a\",\"service\":\"s\",\"placement\":\"up\"}"
                .getBytes(StandardCharsets.UTF_8)))).hasMessage("placement: unknown value \"up\"");
        assertThatThrownBy(() -> FabricJson.parse(new byte[FabricJson.MAX_DOCUMENT + 1]))
                .hasMessageContaining("more than");
        assertThatThrownBy(() -> FabricJson.parse("[".repeat(100).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FabricException.class);
    }
}
