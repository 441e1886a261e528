package org.aivillage.betanet.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties: random input never escapes as anything but NoiseException; any tampering is caught. */
class NoisePropertiesTest {

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.of(
                "Noise_NN_25519_ChaChaPoly_SHA256",
                "Noise_XK_25519_ChaChaPoly_SHA256",
                "Noise_XX_25519_AESGCM_BLAKE2b",
                "Noise_IK_25519_ChaChaPoly_BLAKE2s",
                "Noise_KK_25519_AESGCM_SHA512",
                "Noise_X1X1_25519_ChaChaPoly_SHA256",
                "Noise_NKpsk0_25519_ChaChaPoly_SHA256",
                "Noise_XXhfs_25519+MLKEM768_ChaChaPoly_SHA256");
    }

    /** Random bytes as any message the reader expects next: only NoiseException, and the state is then failed. */
    @Property(tries = 300)
    void randomBytesToReadMessageOnlyThrowNoiseException(
            @ForAll("protocols") String protocol,
            @ForAll @Size(max = 3000) byte[] garbage,
            @ForAll @IntRange(min = 0, max = 2) int validMessagesFirst) throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair(protocol);
        HandshakeState reader = null;
        for (int i = 0; i <= validMessagesFirst; i++) {
            if (p.initiator().action() == HandshakeState.Action.SPLIT) {
                return;
            }
            HandshakeState w = p.initiator().action() == HandshakeState.Action.WRITE_MESSAGE ? p.initiator() : p.responder();
            reader = w == p.initiator() ? p.responder() : p.initiator();
            if (i < validMessagesFirst) {
                reader.readMessage(w.writeMessage(new byte[0]));
            }
        }
        HandshakeState target = reader;
        try {
            target.readMessage(garbage);
            // Without a key yet (e.g. NN message 1) random bytes can be a valid message; that is the spec.
            assertThat(target.action()).isNotEqualTo(HandshakeState.Action.FAILED);
        } catch (NoiseException expected) {
            assertThat(target.action()).isEqualTo(HandshakeState.Action.FAILED);
        }
    }

    /** Flipping any bit of an XK handshake message (all three are authenticated) is detected. */
    @Property(tries = 200)
    void anyBitFlipInAnXkHandshakeMessageIsRejected(
            @ForAll @IntRange(min = 0, max = 2) int message,
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 0, max = 7) int bit,
            @ForAll @Size(max = 64) byte[] payload) throws Exception {
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
    }

    /** Transport messages: a flipped bit fails authentication, the nonce is kept, the intact copy still opens. */
    @Property(tries = 200)
    void tamperedTransportMessagesAreRejected(
            @ForAll @Size(max = 2000) byte[] payload,
            @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 0, max = 7) int bit) throws Exception {
        TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_XK_25519_AESGCM_SHA256"));
        byte[] m = t[0].writeMessage(payload);
        byte[] bad = m.clone();
        bad[position % bad.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> t[1].readMessage(bad)).isInstanceOf(NoiseException.class)
                .hasCauseInstanceOf(org.aivillage.betanet.crypto.AuthenticationFailedException.class);
        assertThat(t[1].readMessage(m)).isEqualTo(payload);
    }

    /** Random bytes as transport messages: only NoiseException. */
    @Property(tries = 200)
    void randomTransportMessagesOnlyThrowNoiseException(@ForAll @Size(max = 70_000) byte[] garbage) throws Exception {
        TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_NN_25519_ChaChaPoly_SHA256"));
        assertThatThrownBy(() -> t[1].readMessage(garbage)).isInstanceOf(NoiseException.class);
    }

    /** Handshakes with random payloads and prologues complete, and payloads round-trip. */
    @Property(tries = 60)
    void randomPayloadsRoundTrip(
            @ForAll("protocols") String protocol,
            @ForAll @Size(max = 512) byte[] prologue,
            @ForAll @Size(max = 4096) byte[] payload) throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair(NoiseProtocol.parse(protocol), prologue);
        while (p.initiator().action() != HandshakeState.Action.SPLIT) {
            HandshakeState w = p.initiator().action() == HandshakeState.Action.WRITE_MESSAGE ? p.initiator() : p.responder();
            HandshakeState r = w == p.initiator() ? p.responder() : p.initiator();
            assertThat(r.readMessage(w.writeMessage(payload))).isEqualTo(payload);
        }
        assertThat(p.initiator().handshakeHash()).isEqualTo(p.responder().handshakeHash());
    }
}
