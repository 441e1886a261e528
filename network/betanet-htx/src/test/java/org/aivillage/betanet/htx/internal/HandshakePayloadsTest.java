package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import static org.assertj.core.api.Assertions.assertThat;

import static org.quicktheories.generators.SourceDSL.longs;

import org.aivillage.betanet.htx.Props;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class HandshakePayloadsTest {

    static Gen<HandshakePayloads.Settings> settings() {
        return longs().between(1, QuicVarint.MAX_VALUE).zip(longs().between(1024, FrameCodec.MAX_LENGTH), HandshakePayloads.Settings::new);
    }

    static Gen<HandshakePayloads.ServerHello> serverHellos() {
        return Generate.oneOf(
                settings().map(s -> new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_X25519, s)),
                settings().map(s -> new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_HYBRID, s)),
                Generate.constant(new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED, null)));
    }

    @Test
    void serverHelloRoundTrip() {
        Props.forAll(300, serverHellos(), h ->
                assertThat(HandshakePayloads.decodeServerHello(HandshakePayloads.encodeServerHello(h))).isEqualTo(h));
    }

    @Test
    void clientHelloIsVersionAndReservedFlags() throws Exception {
        HandshakePayloads.checkClientHello(HandshakePayloads.CLIENT_HELLO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakePayloads.checkClientHello(new byte[] {1, 4}))
                .hasMessageContaining("msg1.flags at offset 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandshakePayloads.checkClientHello(new byte[] {2, 0}))
                .hasMessageContaining("msg1.version at offset 0");
    }

    @Test
    void settingsRoundTrip() {
        Props.forAll(1000, settings(), s -> assertThat(HandshakePayloads.decodeSettings(HandshakePayloads.encodeSettings(s), 0, "s")).isEqualTo(s));
    }

    @Test
    void randomBytesNeverCrashTheDecoders() {
        Props.forAll(3000, Gens.bytes(40), b -> {
            try {
                HandshakePayloads.checkClientHello(b);
            } catch (FrameFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
            try {
                HandshakePayloads.decodeServerHello(b);
            } catch (FrameFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
            try {
                if (b.length > 0) HandshakePayloads.decodeSettings(b, 0, "s");
            } catch (FrameFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
        });
    }
}
