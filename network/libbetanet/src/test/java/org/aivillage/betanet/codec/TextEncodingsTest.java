package org.aivillage.betanet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class TextEncodingsTest {
    @Test
    void base58MatchesPublishedExamples() throws CodecException {
        // Examples from the IETF base58 draft (draft-msporny-base58).
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.encode("The quick brown fox jumps over the lazy dog.".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
        assertThat(Base58.encode(HexFormat.of().parseHex("0000287fb4cd"))).isEqualTo("11233QC4");
        assertThat(Base58.decode("11233QC4")).containsExactly(HexFormat.of().parseHex("0000287fb4cd"));
        assertThatThrownBy(() -> Base58.decode("0OIl")).isInstanceOf(CodecException.class).hasMessageContaining("offset 0");
    }

    @Test
    void base58AndBase64UrlRoundTrip() {
        qt().forAll(Gens.bytes(64)).checkAssert(data -> {
            try {
                assertThat(Base58.decode(Base58.encode(data))).containsExactly(data);
                String s = Base64Url.encode(data);
                assertThat(s).doesNotContain("=", "+", "/");
                assertThat(Base64Url.decode(s)).containsExactly(data);
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void badTextIsRejectedWithOffset() {
        assertThatThrownBy(() -> Base64Url.decode("ab+c")).isInstanceOf(CodecException.class).hasMessageContaining("offset 2");
        assertThatThrownBy(() -> Base64Url.decode("a")).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Hex.decode("abc")).hasMessageContaining("odd");
        assertThatThrownBy(() -> Hex.decode("zz")).hasMessageContaining("offset 0");
    }

    @Test
    void randomTextNeverCrashesTheDecoders() {
        qt().withExamples(1000).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(this::decodeAll);
        qt().withExamples(1000).forAll(strings().ascii().ofLengthBetween(0, 40)).checkAssert(this::decodeAll);
    }

    private void decodeAll(String text) {
        try {
            Base64Url.decode(text);
        } catch (CodecException expected) {
            assertThat(expected.field()).isEqualTo("base64url");
        }
        try {
            Base58.decode(text);
        } catch (CodecException expected) {
            assertThat(expected.field()).isEqualTo("base58");
        }
        try {
            Hex.decode(text);
        } catch (CodecException expected) {
            assertThat(expected.field()).isEqualTo("hex");
        }
    }
}
