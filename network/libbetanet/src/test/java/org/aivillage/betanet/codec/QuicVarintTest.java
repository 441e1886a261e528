package org.aivillage.betanet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class QuicVarintTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesTheRfc9000SampleEncodings() throws CodecException {
        // RFC 9000 Appendix A.1 examples.
        assertThat(QuicVarint.decode(HEX.parseHex("c2197c5eff14e88c"), 0)).isEqualTo(new QuicVarint.Decoded(151288809941952652L, 8));
        assertThat(QuicVarint.decode(HEX.parseHex("9d7f3e7d"), 0)).isEqualTo(new QuicVarint.Decoded(494878333L, 4));
        assertThat(QuicVarint.decode(HEX.parseHex("7bbd"), 0)).isEqualTo(new QuicVarint.Decoded(15293L, 2));
        assertThat(QuicVarint.decode(HEX.parseHex("25"), 0)).isEqualTo(new QuicVarint.Decoded(37L, 1));
        assertThat(QuicVarint.decode(HEX.parseHex("4025"), 0)).isEqualTo(new QuicVarint.Decoded(37L, 2));
    }

    @Test
    void encodesShortestForm() {
        assertThat(HEX.formatHex(QuicVarint.encode(151288809941952652L))).isEqualTo("c2197c5eff14e88c");
        assertThat(HEX.formatHex(QuicVarint.encode(494878333L))).isEqualTo("9d7f3e7d");
        assertThat(HEX.formatHex(QuicVarint.encode(15293L))).isEqualTo("7bbd");
        assertThat(HEX.formatHex(QuicVarint.encode(37L))).isEqualTo("25");
        assertThat(QuicVarint.encodedLength(63)).isEqualTo(1);
        assertThat(QuicVarint.encodedLength(64)).isEqualTo(2);
        assertThat(QuicVarint.encodedLength(16383)).isEqualTo(2);
        assertThat(QuicVarint.encodedLength(16384)).isEqualTo(4);
        assertThat(QuicVarint.encodedLength((1L << 30) - 1)).isEqualTo(4);
        assertThat(QuicVarint.encodedLength(1L << 30)).isEqualTo(8);
    }

    @Test
    void rejectsOutOfRangeAndTruncatedInput() {
        assertThatThrownBy(() -> QuicVarint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuicVarint.encode(QuicVarint.MAX_VALUE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuicVarint.decode(HEX.parseHex("c2197c"), 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("offset 0").hasMessageContaining("needs 8 bytes");
        ByteBuffer b = ByteBuffer.wrap(HEX.parseHex("9d7f"));
        assertThatThrownBy(() -> QuicVarint.read(b)).isInstanceOf(CodecException.class);
        assertThat(b.position()).isZero();
    }

    @Test
    void roundTrips() {
        qt().withExamples(2000).forAll(longs().between(0, QuicVarint.MAX_VALUE)).checkAssert(value -> {
            byte[] enc = QuicVarint.encode(value);
            try {
                assertThat(QuicVarint.decode(enc, 0)).isEqualTo(new QuicVarint.Decoded(value, enc.length));
                ByteBuffer buf = ByteBuffer.allocate(8);
                QuicVarint.write(value, buf);
                buf.flip();
                assertThat(QuicVarint.read(buf)).isEqualTo(value);
                assertThat(buf.hasRemaining()).isFalse();
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void randomBytesDecodeOrFailCleanly() {
        qt().withExamples(2000).forAll(Gens.bytes(10)).checkAssert(input -> {
            try {
                QuicVarint.Decoded d = QuicVarint.decode(input, 0);
                assertThat(d.length()).isBetween(1, 8).isLessThanOrEqualTo(input.length);
                assertThat(d.value()).isBetween(0L, QuicVarint.MAX_VALUE);
            } catch (CodecException e) {
                assertThat(e.field()).isEqualTo("varint");
            }
        });
    }
}
