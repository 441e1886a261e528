package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class TopologyCodecTest {
    private static final KeyPair AUTHORITY = Ed25519.generateKeyPair();

    static Topology sample(int nodes, Instant now) {
        List<TopologyNode> list = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            list.add(new TopologyNode(i % 4 == 3 ? TopologyNode.Role.GATEWAY : TopologyNode.Role.MIX,
                    Randomness.bytes(32), "127.0.0.1:" + (4000 + i), i % 4 == 3 ? 0 : i % 4 + 1, 64500 + i % 3,
                    List.of(new TopologyNode.EpochKey(100 + i, Randomness.bytes(32)),
                            new TopologyNode.EpochKey(101 + i, Randomness.bytes(32)))));
        }
        return new Topology(7, now, now.plusSeconds(600), Duration.ofHours(1), list);
    }

    @Test
    void signedTopologiesRoundTrip() {
        qt().withExamples(50).forAll(integers().between(0, 20)).checkAssert(nodes -> {
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            Topology t = sample(nodes, now);
            byte[] doc = TopologyCodec.signTopology(t, AUTHORITY.privateKey());
            try {
                assertThat(TopologyCodec.verifyTopology(doc, AUTHORITY.publicKey(), now)).isEqualTo(t);
            } catch (TopologyException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void unsignedWronglySignedStaleAndTamperedTopologiesAreRefused() {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        byte[] doc = TopologyCodec.signTopology(sample(6, now), AUTHORITY.privateKey());
        byte[] unsigned = Arrays.copyOf(doc, doc.length - 64);
        assertThatThrownBy(() -> TopologyCodec.verifyTopology(unsigned, AUTHORITY.publicKey(), now))
                .isInstanceOf(TopologyException.class);
        assertThatThrownBy(() -> TopologyCodec.verifyTopology(doc, Ed25519.generateKeyPair().publicKey(), now))
                .hasMessageContaining("bad signature");
        assertThatThrownBy(() -> TopologyCodec.verifyTopology(doc, AUTHORITY.publicKey(), now.plusSeconds(601)))
                .hasMessageContaining("stale");
        byte[] tampered = doc.clone();
        tampered[40] ^= 1;
        assertThatThrownBy(() -> TopologyCodec.verifyTopology(tampered, AUTHORITY.publicKey(), now))
                .isInstanceOf(TopologyException.class);
    }

    @Test
    void descriptorsMustBeSignedByTheIdentityTheyDescribe() throws Exception {
        KeyPair id = Ed25519.generateKeyPair();
        TopologyNode n = new TopologyNode(TopologyNode.Role.MIX, id.publicKey(), "127.0.0.1:1", 1, 1, List.of());
        TopologyCodec.Descriptor d = new TopologyCodec.Descriptor(Instant.ofEpochMilli(1000), n);
        assertThat(TopologyCodec.verifyDescriptor(TopologyCodec.signDescriptor(d, id.privateKey()))).isEqualTo(d);
        byte[] forged = TopologyCodec.signDescriptor(d, Ed25519.generateKeyPair().privateKey());
        assertThatThrownBy(() -> TopologyCodec.verifyDescriptor(forged)).hasMessageContaining("signature");
    }

    @Test
    void randomBytesNeverCrashTheParsers() {
        qt().withExamples(300).forAll(Gens.bytes(600)).checkAssert(TopologyCodecTest::junk);
    }

    private static void junk(byte[] junk) {
        Throwable t = catchThrowable(() -> TopologyCodec.parseTopology(junk, AUTHORITY.publicKey()));
        assertThat(t).isInstanceOf(TopologyException.class);
        Throwable d = catchThrowable(() -> TopologyCodec.verifyDescriptor(junk));
        assertThat(d).isInstanceOf(TopologyException.class);
        Throwable f = catchThrowable(() -> LinkFrame.decode(junk));
        if (f != null) {
            assertThat(f).isInstanceOf(SphinxException.class);
        }
    }

    @Test
    void randomBodiesAfterAValidHeaderNeverCrash() {
        qt().withExamples(100).forAll(Gens.bytes(400)).checkAssert(TopologyCodecTest::tail);
    }

    private static void tail(byte[] tail) {
        byte[] doc = new byte[4 + 8 + 8 + 8 + 4 + 2 + tail.length];
        System.arraycopy("BNT1".getBytes(), 0, doc, 0, 4);
        doc[doc.length - tail.length - 1] = 3;
        System.arraycopy(tail, 0, doc, doc.length - tail.length, tail.length);
        Throwable t = catchThrowable(() -> TopologyCodec.parseTopology(doc, AUTHORITY.publicKey()));
        assertThat(t).isInstanceOf(TopologyException.class);
    }

    @Test
    void linkFramesRoundTrip() {
        qt().withExamples(50).forAll(integers().between(1, 3)).checkAssert(type -> {
            LinkFrame f = switch (type) {
                case 1 -> new LinkFrame.Packet(Randomness.bytes(Sphinx.PACKET_LENGTH));
                case 2 -> new LinkFrame.Register(RouteId.random());
                default -> new LinkFrame.Reply(RouteId.random(), Randomness.bytes(Sphinx.PAYLOAD_LENGTH));
            };
            try {
                assertThat(LinkFrame.decode(f.encode()).encode()).isEqualTo(f.encode());
            } catch (SphinxException e) {
                throw new AssertionError(e);
            }
        });
    }
}
