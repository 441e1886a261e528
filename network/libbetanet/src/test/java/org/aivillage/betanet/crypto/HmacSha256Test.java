package org.aivillage.betanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 4231 vectors, and agreement with the facade's {@link Hmac}. */
class HmacSha256Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4231TestCase1() {
        byte[] key = HEX.parseHex("0b".repeat(20));
        assertThat(HEX.formatHex(HmacSha256.mac(key, "Hi There".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    @Test
    void rfc4231TestCase2() {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(HmacSha256.mac(key, "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void agreesWithFacadeHmacOnOffsetInput() {
        byte[] key = Randomness.bytes(32);
        byte[] data = Randomness.bytes(2000);
        byte[] out = new byte[40];
        HmacSha256.mac(key, data, 7, 1500, out, 4);
        byte[] expected = Hmac.sha256(key, java.util.Arrays.copyOfRange(data, 7, 1507));
        assertThat(java.util.Arrays.copyOfRange(out, 4, 36)).isEqualTo(expected);
    }
}
