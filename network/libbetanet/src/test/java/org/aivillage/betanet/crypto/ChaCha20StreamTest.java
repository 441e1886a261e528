package org.aivillage.betanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8439 official vectors for the raw ChaCha20 keystream. */
class ChaCha20StreamTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc8439Section242SunscreenVector() {
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = HEX.parseHex("000000000000004a00000000");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[plaintext.length];
        ChaCha20Stream.xor(key, nonce, 1, plaintext, 0, out, 0, plaintext.length);
        assertThat(HEX.formatHex(out)).isEqualTo(
                "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                + "5af90bbf74a35be6b40b8eedf2785e42874d");
    }

    @Test
    void rfc8439AppendixA2Vector1AllZeroKeystream() {
        byte[] ks = ChaCha20Stream.keystream(new byte[32], new byte[12], 0, 64);
        assertThat(HEX.formatHex(ks)).isEqualTo(
                "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
    }

    @Test
    void inPlaceXorTwiceRestoresInputAndRepeatedKeyIsAllowed() {
        byte[] key = Randomness.bytes(32);
        byte[] data = Randomness.bytes(1000);
        byte[] copy = data.clone();
        ChaCha20Stream.xorInPlace(key, data, 0, data.length);
        assertThat(data).isNotEqualTo(copy);
        ChaCha20Stream.xorInPlace(key, data, 0, data.length);
        assertThat(data).isEqualTo(copy);
    }
}
