package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class DeviceCardTest {
    final KeyPair signer = Ed25519.generateKeyPair();

    @Test
    void cardsRoundTripAndAnyFlippedBitIsRefused() {
        qt().withExamples(100).forAll(Gens.bytesOfLength(32), integers().between(0, DeviceCard.LENGTH * 8 - 1))
                .checkAssert((noise, bit) -> {
                    DeviceCard c = DeviceCard.sign(signer, noise);
                    assertThat(c.verify()).isTrue();
                    byte[] enc = c.encode();
                    try {
                        assertThat(DeviceCard.decode(enc)).isEqualTo(c);
                        assertThat(DeviceCard.fromHex(" " + c.toHex() + "\n")).isEqualTo(c);
                    } catch (CodecException e) {
                        throw new AssertionError(e);
                    }
                    enc[bit / 8] ^= (byte) (1 << (bit % 8));
                    assertThatThrownBy(() -> DeviceCard.decode(enc)).isInstanceOf(CodecException.class);
                });
    }

    @Test
    void randomBytesAndTextNeverCrashTheDecoder() {
        qt().withExamples(500).forAll(Gens.bytes(0, 200)).checkAssert(junk -> {
            assertThatThrownBy(() -> DeviceCard.decode(junk)).isInstanceOf(CodecException.class);
            assertThatThrownBy(() -> DeviceCard.fromHex(new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1)))
                    .isInstanceOf(CodecException.class);
        });
        assertThatThrownBy(() -> DeviceCard.fromHex("zz".repeat(DeviceCard.LENGTH))).isInstanceOf(CodecException.class)
                .hasMessageContaining("hexadecimal");
    }
}
