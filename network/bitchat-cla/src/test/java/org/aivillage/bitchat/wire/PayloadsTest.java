package org.aivillage.bitchat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void announceIsTlvAsUpstream() throws CodecException {
        byte[] noise = new byte[32];
        byte[] signing = new byte[32];
        noise[0] = 1;
        signing[0] = 2;
        AnnouncePayload a = new AnnouncePayload("al", noise, signing, 0x0102);
        byte[] enc = a.encode();
        assertThat(HEX.formatHex(enc, 0, 4)).isEqualTo("0102616c");
        assertThat(enc[4]).isEqualTo((byte) 0x02);
        assertThat(enc[5]).isEqualTo((byte) 32);
        assertThat(HEX.formatHex(enc, enc.length - 4, enc.length)).isEqualTo("04020102");
        assertThat(AnnouncePayload.decode(enc)).isEqualTo(a);
        // unknown TLVs are skipped; a missing key is an error
        byte[] withUnknown = new byte[enc.length + 3];
        System.arraycopy(enc, 0, withUnknown, 0, enc.length);
        withUnknown[enc.length] = 0x7f;
        withUnknown[enc.length + 1] = 1;
        assertThat(AnnouncePayload.decode(withUnknown)).isEqualTo(a);
        assertThatThrownBy(() -> AnnouncePayload.decode(HEX.parseHex("01026869")))
                .isInstanceOf(CodecException.class).hasMessageContaining("missing noise key");
    }

    @Test
    void announceRoundTripsAndNeverCrashes() {
        qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 60), Gens.bytesOfLength(32),
                Gens.bytesOfLength(32), integers().all()).checkAssert((nick, n, s, f) -> {
                    if (nick.getBytes(StandardCharsets.UTF_8).length > 255 || !nick.equals(roundTripUtf8(nick))) {
                        return;
                    }
                    AnnouncePayload a = new AnnouncePayload(nick, n, s, f);
                    try {
                        assertThat(AnnouncePayload.decode(a.encode())).isEqualTo(a);
                    } catch (CodecException e) {
                        throw new AssertionError(e);
                    }
                });
        qt().withExamples(5000).forAll(Gens.bytes(0, 200)).checkAssert(b -> {
            try {
                AnnouncePayload.decode(b);
            } catch (CodecException e) {
                assertThat(e.getMessage()).contains("at offset");
            }
        });
    }

    @Test
    void fragmentHeaderIsThirteenBytes() throws CodecException {
        FragmentPayload f = new FragmentPayload(HEX.parseHex("0102030405060708"), 2, 5, 0x11, new byte[] {9, 9});
        assertThat(HEX.formatHex(f.encode())).isEqualTo("0102030405060708" + "0002" + "0005" + "11" + "0909");
        assertThat(FragmentPayload.decode(f.encode())).isEqualTo(f);
        assertThatThrownBy(() -> FragmentPayload.decode(HEX.parseHex("0102030405060708000500050209")))
                .hasMessageContaining("fragment index at offset 8");
        assertThatThrownBy(() -> FragmentPayload.decode(HEX.parseHex("01020304050607080000000102")))
                .hasMessageContaining("empty fragment");
        qt().withExamples(5000).forAll(Gens.bytes(0, 40)).checkAssert(b -> {
            try {
                FragmentPayload.decode(b);
            } catch (CodecException e) {
                assertThat(e.getMessage()).contains("at offset");
            }
        });
    }

    @Test
    void privateMessageUsesOneByteTlvWhenItFitsAndTwoByteOtherwise() throws CodecException {
        NoisePayload.PrivateMessage small = new NoisePayload.PrivateMessage("ID1", "hey");
        assertThat(HEX.formatHex(small.encode())).isEqualTo("01" + "0003494431" + "0103686579");
        assertThat(NoisePayload.decode(small.encode())).isEqualTo(small);
        NoisePayload.PrivateMessage big = new NoisePayload.PrivateMessage("ID2", "x".repeat(300));
        byte[] enc = big.encode();
        assertThat(HEX.formatHex(enc, 0, 8)).isEqualTo("01" + "0000" + "0003" + "494432");
        assertThat(NoisePayload.decode(enc)).isEqualTo(big);
        // bitchat-android's encode2B of a short message decodes too
        byte[] android2b = HEX.parseHex("01" + "0000" + "0003" + "494433" + "0001" + "0002" + "6869");
        assertThat(NoisePayload.decode(android2b)).isEqualTo(new NoisePayload.PrivateMessage("ID3", "hi"));
    }

    @Test
    void acksAndAppDataRoundTrip() throws CodecException {
        for (NoisePayload p : new NoisePayload[] {new NoisePayload.Delivered("M-1"), new NoisePayload.ReadReceipt("M-2"),
                new NoisePayload.AppData("M-3", new byte[] {0, 1, 2, (byte) 0xff})}) {
            assertThat(NoisePayload.decode(p.encode())).isEqualTo(p);
        }
        assertThat(HEX.formatHex(new NoisePayload.Delivered("AB").encode())).isEqualTo("034142");
        assertThatThrownBy(() -> NoisePayload.decode(new byte[] {0x03})).hasMessageContaining("message id");
        assertThatThrownBy(() -> NoisePayload.decode(new byte[] {0x7e, 1})).hasMessageContaining("unknown type");
        qt().withExamples(10_000).forAll(Gens.bytes(0, 120)).checkAssert(b -> {
            try {
                NoisePayload.decode(b);
            } catch (CodecException e) {
                assertThat(e.getMessage()).contains("at offset");
            }
        });
    }

    private static String roundTripUtf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
