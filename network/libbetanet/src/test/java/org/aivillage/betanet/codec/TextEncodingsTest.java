package org.aivillage.betanet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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

    @Property
    void base58RoundTrips(@ForAll byte[] data) throws CodecException {
        assertThat(Base58.decode(Base58.encode(data))).containsExactly(data);
    }

    @Property
    void base64UrlRoundTripsWithoutPadding(@ForAll byte[] data) throws CodecException {
        String s = Base64Url.encode(data);
        assertThat(s).doesNotContain("=", "+", "/");
        assertThat(Base64Url.decode(s)).containsExactly(data);
    }

    @Test
    void badTextIsRejectedWithOffset() {
        assertThatThrownBy(() -> Base64Url.decode("ab+c")).isInstanceOf(CodecException.class).hasMessageContaining("offset 2");
        assertThatThrownBy(() -> Base64Url.decode("a")).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Hex.decode("abc")).hasMessageContaining("odd");
        assertThatThrownBy(() -> Hex.decode("zz")).hasMessageContaining("offset 0");
    }

    @Property
    void randomTextNeverCrashesTheDecoders(@ForAll String text) {
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
