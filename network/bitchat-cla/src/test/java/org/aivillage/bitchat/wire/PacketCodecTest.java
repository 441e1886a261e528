package org.aivillage.bitchat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class PacketCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final MeshPeerId SENDER = MeshPeerId.ofLong(0x0011223344556677L);

    @Test
    void encodesTheUpstreamV1Layout() {
        // BinaryProtocol.swift / BinaryProtocol.kt: version, type, ttl, timestamp u64, flags, length u16,
        // sender 8, [recipient 8], payload, [signature 64]; then PKCS#7 padding to 256.
        Packet p = Packet.of(MessageType.MESSAGE, 7, 0x0102030405060708L, SENDER, null, "hi".getBytes(StandardCharsets.UTF_8));
        byte[] raw = PacketCodec.encode(p, false);
        assertThat(HEX.formatHex(raw)).isEqualTo("010207" + "0102030405060708" + "00" + "0002" + "0011223344556677" + "6869");
        byte[] padded = PacketCodec.encode(p);
        assertThat(padded).hasSize(256);
        for (int i = raw.length; i < 256; i++) {
            assertThat(padded[i] & 0xff).isEqualTo(256 - raw.length);
        }
    }

    @Test
    void setsRecipientSignatureAndCompressionFlags() throws CodecException {
        byte[] sig = new byte[64];
        sig[0] = 9;
        Packet p = Packet.of(MessageType.NOISE_ENCRYPTED, 3, 5, SENDER, MeshPeerId.ofLong(42), new byte[] {1, 2})
                .withSignature(sig);
        byte[] raw = PacketCodec.encode(p, false);
        assertThat(raw[11]).isEqualTo((byte) 0x03);
        assertThat(HEX.formatHex(raw, 22, 30)).isEqualTo("000000000000002a");
        assertThat(raw).hasSize(14 + 8 + 8 + 2 + 64);
        Packet big = Packet.of(MessageType.MESSAGE, 7, 5, SENDER, null,
                "compress me please ".repeat(20).getBytes(StandardCharsets.UTF_8)).compressed();
        assertThat(big.compressedPayload()).isNotNull();
        byte[] enc = PacketCodec.encode(big, false);
        assertThat(enc[11] & PacketCodec.FLAG_IS_COMPRESSED).isNotZero();
        assertThat(enc.length).isLessThan(big.payload().length);
        assertThat(PacketCodec.decode(enc)).isEqualTo(big);
    }

    @Test
    void version2UsesFourByteLengthAndCarriesARoute() throws CodecException {
        Packet p = new Packet(2, 0x02, 7, 1, SENDER, null, List.of(MeshPeerId.ofLong(1), MeshPeerId.ofLong(2)),
                new byte[70_000], null, true, null);
        byte[] raw = PacketCodec.encode(p, false);
        assertThat(HEX.formatHex(raw, 12, 16)).isEqualTo("00011170");
        assertThat(raw[11]).isEqualTo((byte) (PacketCodec.FLAG_HAS_ROUTE | PacketCodec.FLAG_IS_RSR));
        assertThat(PacketCodec.decode(raw)).isEqualTo(p);
        assertThatThrownBy(() -> PacketCodec.encode(p.withVersion(1).withTtl(1), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paddingFollowsUpstreamBlocks() {
        assertThat(Padding.optimalBlockSize(1)).isEqualTo(256);
        assertThat(Padding.optimalBlockSize(240)).isEqualTo(256);
        assertThat(Padding.optimalBlockSize(241)).isEqualTo(512);
        assertThat(Padding.optimalBlockSize(2040)).isEqualTo(2040);
        assertThat(Padding.pad(new byte[240])).hasSize(256);
        assertThat(Padding.pad(new byte[241])).hasSize(241); // gap of 271 does not fit one length byte
        assertThat(Padding.pad(new byte[300])).hasSize(512);
    }

    @Test
    void signingBytesIgnoreTtlSignatureAndRsr() {
        Packet p = new Packet(2, 1, 7, 99, SENDER, null, List.of(), new byte[] {1}, null, false, null);
        byte[] a = PacketCodec.signingBytes(p);
        byte[] b = PacketCodec.signingBytes(new Packet(2, 1, 3, 99, SENDER, null, List.of(), new byte[] {1},
                new byte[64], true, null));
        assertThat(a).isEqualTo(b);
        assertThat(a[2]).isZero();
    }

    @Test
    void decodeOfEncodeIsIdentity() {
        qt().withExamples(1500).forAll(PacketGen.packets(), integers().between(0, 1)).checkAssert((p, pad) -> {
            try {
                assertThat(PacketCodec.decode(PacketCodec.encode(p, pad == 1))).isEqualTo(p);
            } catch (CodecException e) {
                throw new AssertionError(p + ": " + e.getMessage(), e);
            }
        });
    }

    @Test
    void randomBytesOnlyEverRaiseCodecException() {
        qt().withExamples(20_000).forAll(Gens.bytes(0, 400)).checkAssert(PacketCodecTest::decodeOrCodecException);
    }

    @Test
    void mutatedFramesOnlyEverRaiseCodecException() {
        qt().withExamples(5000).forAll(PacketGen.packets(), integers().all()).checkAssert((p, seed) -> {
            byte[] frame = PacketCodec.encode(p, true);
            SplittableRandom r = new SplittableRandom(seed);
            int edits = 1 + r.nextInt(4);
            for (int i = 0; i < edits && frame.length > 0; i++) {
                switch (r.nextInt(3)) {
                    case 0 -> frame[r.nextInt(frame.length)] = (byte) r.nextInt(256);
                    case 1 -> frame = java.util.Arrays.copyOf(frame, r.nextInt(frame.length + 1));
                    default -> frame[Math.min(frame.length - 1, 11 + r.nextInt(3))] ^= (byte) (1 << r.nextInt(8));
                }
            }
            decodeOrCodecException(frame);
        });
    }

    @Test
    void truncationNamesFieldAndOffset() {
        byte[] raw = PacketCodec.encode(Packet.of(MessageType.MESSAGE, 7, 1, SENDER, MeshPeerId.ofLong(3), new byte[10]),
                false);
        assertThatThrownBy(() -> PacketCodec.decode(java.util.Arrays.copyOf(raw, 25)))
                .isInstanceOf(CodecException.class).hasMessageContaining("recipient id at offset 22");
        assertThatThrownBy(() -> PacketCodec.decode(java.util.Arrays.copyOf(raw, 35)))
                .isInstanceOf(CodecException.class).hasMessageContaining("payload at offset 30");
        byte[] v3 = raw.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> PacketCodec.decode(v3)).hasMessageContaining("version at offset 0");
        byte[] flags = raw.clone();
        flags[11] |= 0x40;
        assertThatThrownBy(() -> PacketCodec.decode(flags)).hasMessageContaining("flags at offset 11");
        byte[] trailing = java.util.Arrays.copyOf(raw, raw.length + 3);
        assertThatThrownBy(() -> PacketCodec.decode(trailing)).hasMessageContaining("padding");
    }

    @Test
    void refusesDecompressionBombsAndBadDeflate() {
        // 4 bytes of "deflate" that claim to become 65,535: refused before anything is allocated
        byte[] bomb = HEX.parseHex("010207" + "0000000000000001" + "04" + "0006" + "0011223344556677" + "ffff" + "63000000");
        assertThatThrownBy(() -> PacketCodec.decode(bomb)).isInstanceOf(CodecException.class)
                .hasMessageContaining("impossible expansion");
        Packet zeros = Packet.of(MessageType.MESSAGE, 7, 1, SENDER, null, new byte[60_000]).compressed();
        try {
            assertThat(PacketCodec.decode(PacketCodec.encode(zeros, false))).isEqualTo(zeros);
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
        Packet q = Packet.of(MessageType.MESSAGE, 7, 1, SENDER, null, "abcabcabc ".repeat(30).getBytes(StandardCharsets.UTF_8))
                .compressed();
        byte[] f2 = PacketCodec.encode(q, false);
        f2[13 + 8 + 2] ^= (byte) 0xff; // first deflate byte
        decodeOrCodecException(f2);
        byte[] f3 = PacketCodec.encode(q, false);
        f3[13 + 8 + 1] += 1; // declared original size one too large
        assertThatThrownBy(() -> PacketCodec.decode(f3)).isInstanceOf(CodecException.class);
    }

    static void decodeOrCodecException(byte[] frame) {
        try {
            Packet p = PacketCodec.decode(frame);
            assertThat(p).isNotNull();
        } catch (CodecException e) {
            assertThat(e.getMessage()).contains("at offset");
        }
    }
}
