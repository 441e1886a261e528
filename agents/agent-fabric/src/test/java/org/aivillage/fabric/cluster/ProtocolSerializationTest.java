package org.aivillage.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceRequirements;
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.cluster.Protocol.Deliver;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.Err;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.Ok;
import org.aivillage.fabric.cluster.Protocol.ReplicaLocation;
import org.aivillage.fabric.cluster.Protocol.ReplicaStatusDto;
import org.aivillage.fabric.cluster.Protocol.ServiceDto;
import org.aivillage.testkit.Gens;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The cluster wire format: every protocol record through Pekko's Jackson CBOR serializer as bound by the fabric. */
class ProtocolSerializationTest {
    static ActorSystem system;
    static Serialization serialization;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("serialization-test", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.actor.serialization-bindings {
                  "org.aivillage.fabric.cluster.ClusterMessage" = jackson-cbor
                }
                """).withFallback(ConfigFactory.defaultReference()));
        serialization = SerializationExtension.get(system);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static Object roundTrip(Object value) {
        Serializer serializer = serialization.findSerializerFor(value);
        assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
        byte[] bytes = serialization.serialize(value).get();
        String manifest = Serializers.manifestFor(serializer, value);
        return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    }

    /** Any text of valid Unicode scalar values below the surrogates (lone surrogates are not text). */
    private static final Gen<String> TEXT = strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 40);
    private static final Gen<String> NAME = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 10);

    @Test
    void registryRecordsRoundTrip() {
        qt().forAll(NAME, integers().between(1, 64), longs().all(), TEXT).checkAssert((name, replicas, n, text) -> {
            ServiceDefinition def = new ServiceDefinition(name, "1." + replicas, List.of(text),
                    new ResourceRequirements(replicas / 8.0, Math.abs(n % 100_000)));
            AgentSpec spec = new AgentSpec(name, def.key(), replicas, PlacementStrategy.values()[replicas % 4],
                    new RetryPolicy(1 + replicas % 16, Duration.ofMillis(replicas), Duration.ofMillis(500), n % 2 == 0));
            DeploymentRecord d = DeploymentRecord.of(AgentId.newId(name), spec, def,
                    java.util.Collections.nCopies(replicas, "127.0.0.1:" + (n & 0xffff)));
            assertThat(roundTrip(d)).isEqualTo(d);
            assertThat(((DeploymentRecord) roundTrip(d)).spec()).isEqualTo(spec);
            NodeRecord node = new NodeRecord(name, "h:" + replicas, n, replicas, replicas * 1024L, replicas,
                    List.of(ServiceDto.of(def)));
            assertThat(roundTrip(node)).isEqualTo(node);
            assertThat(roundTrip(new ReplicaLocation("h:1", n, text))).isEqualTo(new ReplicaLocation("h:1", n, text));
            ReplicaStatusDto st = new ReplicaStatusDto(replicas, n % 2 == 0 ? null : text, "RUNNING", n, 0, 1, 2,
                    n % 3 == 0 ? null : text);
            assertThat(roundTrip(st)).isEqualTo(st);
            assertThat(((ReplicaStatusDto) roundTrip(st)).toStatus()).isEqualTo(st.toStatus());
        });
    }

    @Test
    void messagesAndRepliesRoundTrip() {
        qt().forAll(longs().all(), TEXT).checkAssert((n, text) -> {
            var content = JsonNodeFactory.instance.objectNode().put("text", text).put("n", n);
            content.putArray("list").add(1.5).add(true).addNull();
            // JSON trees compare by node type (IntNode vs LongNode), so compare contents as text.
            Deliver oneWay = (Deliver) roundTrip(new Deliver(n, text, content, null));
            assertThat(oneWay.requestId()).isEqualTo(n);
            assertThat(oneWay.from()).isEqualTo(text);
            assertThat(oneWay.replyTo()).isNull();
            assertThat(oneWay.content().toString()).isEqualTo(content.toString());
            Ok ok = (Ok) roundTrip(new Ok(n, 3, "node", content));
            assertThat(ok.requestId()).isEqualTo(n);
            assertThat(ok.replica()).isEqualTo(3);
            assertThat(ok.content().toString()).isEqualTo(content.toString());
            Err err = new Err(n, "HANDLER_FAILED", text);
            assertThat(roundTrip(err)).isEqualTo(err);
        });
    }

    @Test
    void randomBytesAreRejectedWithoutCrashing() {
        Serializer serializer = serialization.findSerializerFor(new Err(1, "x", "y"));
        qt().withExamples(1000).forAll(Gens.bytes(0, 300)).checkAssert(bytes -> {
            for (Class<?> type : List.of(Deliver.class, DeploymentRecord.class, NodeRecord.class, Ok.class)) {
                // A Try: a value of the type, null (CBOR null/undefined, which Pekko drops) or a failure;
                // never an Error, a hang or an object of another type.
                var result = serialization.deserialize(bytes, serializer.identifier(), type.getName());
                if (result.isSuccess() && result.get() != null) {
                    assertThat(result.get()).isInstanceOf(type);
                }
            }
        });
    }
}
