package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import org.junit.jupiter.api.Test;

/** The Noise message channel of sync: fragmentation round trips, any damaged byte is refused. */
class SyncChannelTest {

    /** [initiator transport, responder transport] after an in-memory XX handshake. */
    static TransportState[] pair() throws NoiseException {
        HandshakeState i = HandshakeState.builder(SyncWire.NOISE, Role.INITIATOR).localStatic(X25519.generateKeyPair()).build();
        HandshakeState r = HandshakeState.builder(SyncWire.NOISE, Role.RESPONDER).localStatic(X25519.generateKeyPair()).build();
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        r.readMessage(i.writeMessage(new byte[0]));
        return new TransportState[] {i.split(), r.split()};
    }

    static SyncWire.Changes changes(Random r, int totalBytes) {
        List<byte[]> items = new ArrayList<>();
        int left = totalBytes;
        while (left > 0) {
            byte[] b = new byte[Math.min(left, 1 + r.nextInt(70_000))];
            r.nextBytes(b);
            items.add(b);
            left -= b.length;
        }
        return new SyncWire.Changes(items, r.nextBoolean());
    }

    @Test
    void messagesOfAnySizeRoundTripAcrossFragments() {
        qt().withExamples(25).forAll(longs().all(), integers().between(0, 300_000)).checkAssert((seed, size) -> {
            try {
                Random r = new Random(seed);
                TransportState[] t = pair();
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                SyncWire.Channel tx = new SyncWire.Channel(null, new DataOutputStream(wire), t[0]);
                List<SyncWire.Changes> sent = List.of(changes(r, size), changes(r, r.nextInt(100)));
                for (SyncWire.Changes c : sent) {
                    tx.send(c);
                }
                SyncWire.Channel rx = new SyncWire.Channel(new DataInputStream(new ByteArrayInputStream(wire.toByteArray())), null, t[1]);
                for (SyncWire.Changes c : sent) {
                    SyncWire.Changes got = (SyncWire.Changes) rx.receive();
                    assertThat(got.more()).isEqualTo(c.more());
                    assertThat(got.signed()).hasSameSizeAs(c.signed());
                    for (int k = 0; k < c.signed().size(); k++) {
                        assertThat(got.signed().get(k)).isEqualTo(c.signed().get(k));
                    }
                }
            } catch (IOException | NoiseException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aDamagedByteAnywhereIsRefusedWithTheDocumentedExceptions() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            try {
                Random r = new Random(seed);
                TransportState[] t = pair();
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                new SyncWire.Channel(null, new DataOutputStream(wire), t[0]).send(changes(r, r.nextInt(150_000)));
                byte[] bytes = wire.toByteArray();
                bytes[r.nextInt(bytes.length)] ^= (byte) (1 + r.nextInt(255));
                SyncWire.Channel rx = new SyncWire.Channel(new DataInputStream(new ByteArrayInputStream(bytes)), null, t[1]);
                assertThatThrownBy(rx::receive).isInstanceOfAny(IOException.class, CodecException.class);
            } catch (IOException | NoiseException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aFlippedCiphertextByteNamesTheMessageThatFailed() throws Exception {
        TransportState[] t = pair();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SyncWire.Channel tx = new SyncWire.Channel(null, new DataOutputStream(wire), t[0]);
        tx.send(new SyncWire.Done());
        int first = wire.size();
        tx.send(new SyncWire.Error("x"));
        byte[] bytes = wire.toByteArray();
        bytes[first + 5] ^= 1;
        SyncWire.Channel rx = new SyncWire.Channel(new DataInputStream(new ByteArrayInputStream(bytes)), null, t[1]);
        assertThat(rx.receive()).isInstanceOf(SyncWire.Done.class);
        assertThatThrownBy(rx::receive).isInstanceOf(IOException.class)
                .hasMessageContaining("transport message 2 from the peer failed authentication");
    }
}
