package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class QuicVarintTest {

    /** RFC 9000 Appendix A.1 sample encodings. */
    @Test
    void rfc9000Examples() throws Exception {
        assertDecodes("c2197c5eff14e88c", 151_288_809_941_952_652L);
        assertDecodes("9d7f3e7d", 494_878_333L);
        assertDecodes("7bbd", 15_293L);
        assertDecodes("25", 37L);
        assertDecodes("4025", 37L); // non-minimal two-byte form is accepted
        assertThat(HexFormat.of().formatHex(QuicVarint.encode(151_288_809_941_952_652L))).isEqualTo("c2197c5eff14e88c");
        assertThat(HexFormat.of().formatHex(QuicVarint.encode(494_878_333L))).isEqualTo("9d7f3e7d");
        assertThat(HexFormat.of().formatHex(QuicVarint.encode(15_293L))).isEqualTo("7bbd");
        assertThat(HexFormat.of().formatHex(QuicVarint.encode(37L))).isEqualTo("25");
    }

    private static void assertDecodes(String hex, long value) throws Exception {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(QuicVarint.decode(b, 0, b.length, "v", 0)).isEqualTo(value);
        assertThat(QuicVarint.lengthFromFirstByte(b[0])).isEqualTo(b.length);
    }

    @Property
    void roundTrip(@ForAll @LongRange(min = 0, max = (1L << 62) - 1) long v) throws Exception {
        byte[] b = QuicVarint.encode(v);
        assertThat(b).hasSize(QuicVarint.encodedLength(v));
        assertThat(QuicVarint.decode(b, 0, b.length, "v", 0)).isEqualTo(v);
    }

    @Test
    void truncatedAndOutOfRange() {
        byte[] b = {(byte) 0xC2, 0x19};
        assertThatThrownBy(() -> QuicVarint.decode(b, 0, b.length, "stream_id", 4))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("stream_id at offset 4");
        assertThatThrownBy(() -> QuicVarint.encode(1L << 62)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuicVarint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
