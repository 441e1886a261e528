package org.aivillage.betanet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.Surb;

class MixMessageTest {
    private static Surb surb() {
        byte[] header = Randomness.bytes(Sphinx.HEADER_LENGTH);
        header[0] = Sphinx.VERSION;
        return new Surb(RouteId.random(), header, Randomness.bytes(32));
    }

    private static byte[] padded(byte[] m) {
        return java.util.Arrays.copyOf(m, Sphinx.MESSAGE_LENGTH);
    }

    @Property(tries = 200)
    void everyMessageRoundTripsInsideAPaddedSphinxBody(@ForAll @IntRange(min = 1, max = 5) int type,
                                                      @ForAll @IntRange(min = 1, max = MixMessage.MAX_FRAGMENTS) int count,
                                                      @ForAll @Size(max = MixMessage.REQUEST_DATA) byte[] data) throws Exception {
        byte[] id = Randomness.bytes(16);
        BitSet bits = BitSet.valueOf(Randomness.bytes((count + 7) / 8));
        if (bits.length() > count) {
            bits.clear(count, bits.length());
        }
        MixMessage m = switch (type) {
            case 1 -> new MixMessage.RequestFragment(id, count - 1, count, "echo", surb(), data);
            case 2 -> new MixMessage.ResponseFragment(id, count - 1, count, MixMessage.OK, count % 7, data);
            case 3 -> new MixMessage.Ack(id, count, bits);
            case 4 -> new MixMessage.SurbSupply(id, count % 2 == 0 ? List.of(surb()) : List.of(surb(), surb()));
            default -> new MixMessage.Resend(id, count, bits, surb());
        };
        byte[] enc = m.encode();
        assertThat(enc.length).isLessThanOrEqualTo(Sphinx.MESSAGE_LENGTH);
        assertThat(MixMessage.decode(padded(enc)).encode()).isEqualTo(enc);
    }

    @Property(tries = 500)
    void randomBytesNeverCrashTheDecoder(@ForAll @Size(max = Sphinx.MESSAGE_LENGTH) byte[] junk) {
        Throwable t = catchThrowable(() -> MixMessage.decode(junk));
        if (t != null) {
            assertThat(t).isInstanceOf(MessageFormatException.class);
        }
    }

    @Property(tries = 200)
    void randomBodiesBehindAValidTypeNeverCrash(@ForAll @IntRange(min = 1, max = 5) int type,
                                                @ForAll @Size(min = 16, max = Sphinx.MESSAGE_LENGTH - 1) byte[] body) {
        byte[] m = new byte[body.length + 1];
        m[0] = (byte) type;
        System.arraycopy(body, 0, m, 1, body.length);
        Throwable t = catchThrowable(() -> MixMessage.decode(m));
        if (t != null) {
            assertThat(t).isInstanceOf(MessageFormatException.class);
        }
    }
}
