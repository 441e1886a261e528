package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.aivillage.betanet.crypto.MlKem768;

class HandshakePayloadsTest {

    @Provide
    Arbitrary<HandshakePayloads.Settings> settings() {
        return Combinators.combine(Arbitraries.longs().between(1, QuicVarint.MAX), Arbitraries.longs().between(1024, FrameCodec.MAX_LENGTH))
                .as(HandshakePayloads.Settings::new);
    }

    @Provide
    Arbitrary<HandshakePayloads.ServerHello> serverHellos() {
        Arbitrary<byte[]> ct = Arbitraries.bytes().array(byte[].class).ofSize(MlKem768.CIPHERTEXT_LENGTH);
        return Arbitraries.oneOf(
                settings().map(s -> new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_X25519, null, s)),
                Combinators.combine(ct, settings()).as((c, s) -> new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_HYBRID, c, s)),
                Arbitraries.just(new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED, null, null)));
    }

    @Property(tries = 300)
    void serverHelloRoundTrip(@ForAll("serverHellos") HandshakePayloads.ServerHello h) throws Exception {
        assertThat(HandshakePayloads.decodeServerHello(HandshakePayloads.encodeServerHello(h))).isEqualTo(h);
    }

    @Property(tries = 100)
    void clientHelloRoundTrip(@ForAll boolean hybrid) throws Exception {
        byte[] ek = hybrid ? MlKem768.generateKeyPair().publicKey() : null;
        HandshakePayloads.ClientHello h = new HandshakePayloads.ClientHello(ek);
        assertThat(HandshakePayloads.decodeClientHello(HandshakePayloads.encodeClientHello(h))).isEqualTo(h);
    }

    @Property(tries = 300)
    void settingsRoundTrip(@ForAll("settings") HandshakePayloads.Settings s) throws Exception {
        assertThat(HandshakePayloads.decodeSettings(HandshakePayloads.encodeSettings(s), 0, "s")).isEqualTo(s);
    }

    @Property(tries = 2000)
    void randomBytesNeverCrashTheDecoders(@ForAll @Size(max = 40) byte[] b) {
        try {
            HandshakePayloads.decodeClientHello(b);
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
    }
}
