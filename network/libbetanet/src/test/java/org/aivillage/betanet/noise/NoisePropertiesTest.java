package org.aivillage.betanet.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.vectors.Checked;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties (QuickTheories): random input never escapes as anything but NoiseException; any tampering is caught. */
class NoisePropertiesTest {

    private static Gen<String> protocols() {
        return Generate.pick(List.of(
                "Noise_NN_25519_ChaChaPoly_SHA256",
                "Noise_XK_25519_ChaChaPoly_SHA256",
                "Noise_XX_25519_AESGCM_BLAKE2b",
                "Noise_IK_25519_ChaChaPoly_BLAKE2s",
                "Noise_KK_25519_AESGCM_SHA512",
                "Noise_X1X1_25519_ChaChaPoly_SHA256",
                "Noise_NKpsk0_25519_ChaChaPoly_SHA256",
                "Noise_XXhfs_25519+MLKEM768_ChaChaPoly_SHA256"));
    }

    /** Random bytes as any message the reader expects next: only NoiseException, and the state is then failed. */
    @Test
    void randomBytesToReadMessageOnlyThrowNoiseException() {
        qt().withExamples(300).forAll(protocols(), Gens.bytes(3000), integers().between(0, 2))
                .checkAssert((protocol, garbage, validMessagesFirst) -> Checked.run(() -> {
                    NoiseTestSupport.Pair p = NoiseTestSupport.pair(protocol);
                    HandshakeState reader = null;
                    for (int i = 0; i <= validMessagesFirst; i++) {
                        if (p.initiator().action() == HandshakeState.Action.SPLIT) {
                            return;
                        }
                        HandshakeState w = p.initiator().action() == HandshakeState.Action.WRITE_MESSAGE
                                ? p.initiator() : p.responder();
                        reader = w == p.initiator() ? p.responder() : p.initiator();
                        if (i < validMessagesFirst) {
                            reader.readMessage(w.writeMessage(new byte[0]));
                        }
                    }
                    try {
                        reader.readMessage(garbage);
                        // Without a key yet (e.g. NN message 1) random bytes can be a valid message: that is the spec.
                        assertThat(reader.action()).isNotEqualTo(HandshakeState.Action.FAILED);
                    } catch (NoiseException expected) {
                        assertThat(reader.action()).isEqualTo(HandshakeState.Action.FAILED);
                    }
                }));
    }

    /** Flipping any bit of an XK handshake message (all three are authenticated) is detected. */
    @Test
    void anyBitFlipInAnXkHandshakeMessageIsRejected() {
        qt().withExamples(200)
                .forAll(integers().between(0, 2), integers().between(0, 100_000), integers().between(0, 7), Gens.bytes(64))
                .checkAssert((message, position, bit, payload) -> Checked.run(() -> {
                    NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XK_25519_ChaChaPoly_SHA256");
                    for (int i = 0; i < 3; i++) {
                        HandshakeState w = i % 2 == 0 ? p.initiator() : p.responder();
                        HandshakeState r = i % 2 == 0 ? p.responder() : p.initiator();
                        byte[] m = w.writeMessage(payload);
                        if (i == message) {
                            m[position % m.length] ^= (byte) (1 << bit);
                            assertThatThrownBy(() -> r.readMessage(m)).isInstanceOf(NoiseException.class);
                            return;
                        }
                        r.readMessage(m);
                    }
                }));
    }

    /** Transport messages: a flipped bit fails authentication, the nonce is kept, the intact copy still opens. */
    @Test
    void tamperedTransportMessagesAreRejected() {
        qt().withExamples(200).forAll(Gens.bytes(2000), integers().between(0, 100_000), integers().between(0, 7))
                .checkAssert((payload, position, bit) -> Checked.run(() -> {
                    TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_XK_25519_AESGCM_SHA256"));
                    byte[] m = t[0].writeMessage(payload);
                    byte[] bad = m.clone();
                    bad[position % bad.length] ^= (byte) (1 << bit);
                    assertThatThrownBy(() -> t[1].readMessage(bad)).isInstanceOf(NoiseException.class)
                            .hasCauseInstanceOf(AuthenticationFailedException.class);
                    assertThat(t[1].readMessage(m)).isEqualTo(payload);
                }));
    }

    /** Random bytes as transport messages: only NoiseException. */
    @Test
    void randomTransportMessagesOnlyThrowNoiseException() {
        qt().withExamples(200).forAll(Gens.bytes(70_000)).checkAssert(garbage -> Checked.run(() -> {
            TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_NN_25519_ChaChaPoly_SHA256"));
            assertThatThrownBy(() -> t[1].readMessage(garbage)).isInstanceOf(NoiseException.class);
        }));
    }

    /** Handshakes with random payloads and prologues complete, and payloads round-trip. */
    @Test
    void randomPayloadsRoundTrip() {
        qt().withExamples(60).forAll(protocols(), Gens.bytes(512), Gens.bytes(4096))
                .checkAssert((protocol, prologue, payload) -> Checked.run(() -> {
                    NoiseTestSupport.Pair p = NoiseTestSupport.pair(NoiseProtocol.parse(protocol), prologue);
                    while (p.initiator().action() != HandshakeState.Action.SPLIT) {
                        HandshakeState w = p.initiator().action() == HandshakeState.Action.WRITE_MESSAGE
                                ? p.initiator() : p.responder();
                        HandshakeState r = w == p.initiator() ? p.responder() : p.initiator();
                        assertThat(r.readMessage(w.writeMessage(payload))).isEqualTo(payload);
                    }
                    assertThat(p.initiator().handshakeHash()).isEqualTo(p.responder().handshakeHash());
                }));
    }
}
