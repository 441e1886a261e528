package org.aivillage.betanet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.BitSet;
import java.util.List;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.Surb;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class MixMessageTest {
    private static Surb surb() {
        byte[] header = Randomness.bytes(Sphinx.HEADER_LENGTH);
        header[0] = Sphinx.VERSION;
        return new Surb(RouteId.random(), header, Randomness.bytes(32));
    }

    private static byte[] padded(byte[] m) {
        return java.util.Arrays.copyOf(m, Sphinx.MESSAGE_LENGTH);
    }

    @Test
    void everyMessageRoundTripsInsideAPaddedSphinxBody() {
        qt().withExamples(200).forAll(integers().between(1, 5), integers().between(1, MixMessage.MAX_FRAGMENTS),
                Gens.bytes(MixMessage.REQUEST_DATA)).checkAssert((type, count, data) -> {
                    try {
                        roundTrip(type, count, data);
                    } catch (MessageFormatException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void roundTrip(int type, int count, byte[] data) throws MessageFormatException {
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

    @Test
    void randomBytesNeverCrashTheDecoder() {
        qt().withExamples(500).forAll(Gens.bytes(Sphinx.MESSAGE_LENGTH)).checkAssert(MixMessageTest::junk);
    }

    private static void junk(byte[] junk) {
        Throwable t = catchThrowable(() -> MixMessage.decode(junk));
        if (t != null) {
            assertThat(t).isInstanceOf(MessageFormatException.class);
        }
    }

    @Test
    void randomBodiesBehindAValidTypeNeverCrash() {
        qt().withExamples(200).forAll(integers().between(1, 5), Gens.bytes(16, Sphinx.MESSAGE_LENGTH - 1))
                .checkAssert(MixMessageTest::typed);
    }

    private static void typed(int type, byte[] body) {
        byte[] m = new byte[body.length + 1];
        m[0] = (byte) type;
        System.arraycopy(body, 0, m, 1, body.length);
        Throwable t = catchThrowable(() -> MixMessage.decode(m));
        if (t != null) {
            assertThat(t).isInstanceOf(MessageFormatException.class);
        }
    }
}
