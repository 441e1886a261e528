package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import static org.quicktheories.generators.SourceDSL.integers;

import org.aivillage.betanet.htx.Props;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.junit.jupiter.api.Test;

class FrameProtectionTest {
    static final byte[] H = HexFormat.of().parseHex("5a".repeat(32));

    static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void nonceIsSaltXorLittleEndianCounter() {
        byte[] ns = HexFormat.of().parseHex("000102030405060708090a0b");
        byte[] out = new byte[12];
        KeySchedule.nonce(ns, 0x1122334455667788L, out);
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("8876645640362416" + "08090a0b"); // 8877665544332211 xor 0001020304050607
        // NS = HKDF-Expand-Label(K, "ns", "", 12), the TLS 1.3 construction.
        byte[] k = key(7);
        assertThat(KeySchedule.nonceSalt(k)).isEqualTo(Hkdf.expandLabel(k, "ns", new byte[0], 12));
    }

    @Test
    void sealedFrameIsHeaderCiphertextTagWithHeaderAsAad() throws Exception {
        byte[] k = key(1);
        FrameSealer sealer = new FrameSealer(k.clone(), H, RekeyPolicy.DEFAULT, System::nanoTime);
        byte[] out = new byte[100];
        byte[] pt = "hello".getBytes();
        int n = sealer.seal(FrameType.STREAM, 5, pt, 0, pt.length, out, 0);
        assertThat(n).isEqualTo(4 + 1 + 5 + 16);
        assertThat(HexFormat.of().formatHex(out, 0, 5)).isEqualTo("0000050005");
        // Independent check with the facade AEAD: nonce = NS xor 0, AAD = the 5 header bytes.
        byte[] nonce = new byte[12];
        KeySchedule.nonce(KeySchedule.nonceSalt(k), 0, nonce);
        byte[] plain = Aead.chaCha20Poly1305(k).open(nonce, Arrays.copyOf(out, 5), Arrays.copyOfRange(out, 5, n));
        assertThat(plain).isEqualTo(pt);
    }

    @Test
    void rekeyDerivesNextKeyFromTranscriptHash() {
        byte[] k = key(3);
        byte[] expected = Arrays.copyOf(Hkdf.expandLabel(k, "next", H, 64), 32);
        assertThat(KeySchedule.nextKey(k, H)).isEqualTo(expected);
    }

    @Test
    void k0AndInnerKeysDependOnEveryInput() {
        byte[] exporter = key(9);
        byte[] k0 = KeySchedule.k0(exporter);
        assertThat(k0).hasSize(64).isEqualTo(Hkdf.expandLabel(exporter, "htx inner v1", new byte[0], 64));
        var base = KeySchedule.innerKeys(k0, key(1), key(2), H);
        assertThat(base.clientToServer()).isNotEqualTo(base.serverToClient());
        assertThat(KeySchedule.innerKeys(KeySchedule.k0(key(8)), key(1), key(2), H).clientToServer())
                .isNotEqualTo(base.clientToServer());
        assertThat(KeySchedule.innerKeys(k0, key(4), key(2), H).clientToServer()).isNotEqualTo(base.clientToServer());
        assertThat(KeySchedule.innerKeys(k0, key(1), key(4), H).clientToServer()).isNotEqualTo(base.clientToServer());
        assertThat(KeySchedule.innerKeys(k0, key(1), key(2), key(6)).clientToServer()).isNotEqualTo(base.clientToServer());
        assertThat(KeySchedule.innerKeys(k0, key(1), key(2), H).clientToServer()).isEqualTo(base.clientToServer());
    }

    /** Seals many frames with forced rekeys; every (key, nonce) pair is distinct and the opener follows. */
    @Test
    void nonceNeverRepeatsAcrossRekeys() {
        Props.forAll(40, integers().between(2, 9).zip(integers().between(1, 400), (a, b) -> new int[] {a, b}),
                p -> nonceNeverRepeats(p[0], p[1]));
    }

    private void nonceNeverRepeats(int maxFrames, int frames) throws Exception {
        AtomicLong clock = new AtomicLong();
        FrameSealer sealer = new FrameSealer(key(1), H, new RekeyPolicy(1L << 40, maxFrames, Duration.ofHours(1)), clock::get);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, sealer, 1024, g -> { });
        Set<String> used = new HashSet<>();
        for (int i = 0; i < frames; i++) {
            if (sealer.rekeyDue()) {
                // the writer will emit KEY_UPDATE with the current nonce, then switch
                assertThat(used.add(sealer.generation() + ":" + HexFormat.of().formatHex(sealer.nextNonce()))).isTrue();
            }
            byte[] pt = ByteBuffer.allocate(4).putInt(i).array();
            writer.write(FrameType.STREAM, 1, pt, 0, 4);
            assertThat(used.add(sealer.generation() + ":" + HexFormat.of().formatHex(previousNonce(sealer)))).isTrue();
        }
        writer.flush();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new FrameOpener(key(1), H), 65_535);
        int seen = 0;
        Frame f;
        while ((f = reader.read()) != null) {
            if (f instanceof Frame.StreamData d) {
                assertThat(ByteBuffer.wrap(d.data()).getInt()).isEqualTo(seen++);
            }
        }
        assertThat(seen).isEqualTo(frames);
        assertThat(reader.opener().generation()).isEqualTo(sealer.generation());
        assertThat(sealer.generation()).isEqualTo(frames <= 1 ? 0 : (long) (frames - 1) / (maxFrames - 1));
    }

    private static byte[] previousNonce(FrameSealer s) {
        byte[] ns = KeySchedule.nonceSalt(currentKeyForTest(s));
        byte[] n = new byte[12];
        KeySchedule.nonce(ns, s.counter() - 1, n);
        return n;
    }

    private static byte[] currentKeyForTest(FrameSealer s) {
        // Reconstruct the generation's key from the initial key (the test knows it).
        byte[] k = key(1);
        for (long g = 0; g < s.generation(); g++) {
            k = KeySchedule.nextKey(k, H);
        }
        return k;
    }

    @Test
    void bytesAndAgeThresholdsTriggerRekey() throws Exception {
        AtomicLong clock = new AtomicLong();
        FrameSealer sealer = new FrameSealer(key(1), H, new RekeyPolicy(100, 1000, Duration.ofSeconds(5)), clock::get);
        byte[] out = new byte[300];
        sealer.seal(FrameType.STREAM, 1, new byte[99], 0, 99, out, 0);
        assertThat(sealer.rekeyDue()).isFalse();
        sealer.seal(FrameType.STREAM, 1, new byte[1], 0, 1, out, 0);
        assertThat(sealer.rekeyDue()).isTrue();
        sealer.rekey();
        assertThat(sealer.rekeyDue()).isFalse();
        clock.set(Duration.ofSeconds(5).toNanos());
        assertThat(sealer.rekeyDue()).isTrue();
    }

    @Test
    void tamperedHeaderOrBodyFailsAuthentication() throws Exception {
        for (int position : new int[] {0, 3, 4, 6, 20}) {
            FrameSealer sealer = new FrameSealer(key(1), H, RekeyPolicy.DEFAULT, System::nanoTime);
            byte[] out = new byte[64];
            int n = sealer.seal(FrameType.STREAM, 1, new byte[10], 0, 10, out, 0);
            out[position] ^= (position == 0 ? 0 : 1);
            if (position == 0) {
                continue; // a length change is a different frame shape; covered by the reader test below
            }
            FrameReader reader = new FrameReader(new ByteArrayInputStream(out, 0, n), new FrameOpener(key(1), H), 65_535);
            assertThatThrownBy(reader::read).isInstanceOfAny(AuthenticationFailedException.class, FrameFormatException.class);
        }
    }

    /**
     * §5.3 out-of-order acceptance: the sender's frames under K' arrive before its KEY_UPDATE; the
     * receiver accepts them, then drops what verifies only under the old key (the late data and
     * the KEY_UPDATE itself).
     */
    @Test
    void acceptsNewKeyDataBeforeKeyUpdateAndDropsOldKeyFrames() throws Exception {
        FrameSealer sealer = new FrameSealer(key(1), H, RekeyPolicy.DEFAULT, System::nanoTime);
        List<byte[]> frames = new ArrayList<>();
        frames.add(sealOne(sealer, FrameType.STREAM, "a0"));
        frames.add(sealOne(sealer, FrameType.STREAM, "a1-late"));
        frames.add(sealOne(sealer, FrameType.KEY_UPDATE, ""));
        sealer.rekey();
        frames.add(sealOne(sealer, FrameType.STREAM, "b0"));
        frames.add(sealOne(sealer, FrameType.STREAM, "b1"));
        // Arrival order: a0, b0, a1-late, KEY_UPDATE, b1.
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i : new int[] {0, 3, 1, 2, 4}) {
            wire.writeBytes(frames.get(i));
        }
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new FrameOpener(key(1), H), 65_535);
        List<String> got = new ArrayList<>();
        Frame f;
        while ((f = reader.read()) != null) {
            got.add(f instanceof Frame.StreamData d ? new String(d.data()) : f.type().name());
        }
        assertThat(got).containsExactly("a0", "b0", "b1");
        assertThat(reader.opener().droppedOldKeyFrames()).isEqualTo(2);
        assertThat(reader.opener().generation()).isEqualTo(1);
    }

    @Test
    void inOrderKeyUpdateIsDeliveredAndSwitchesKeys() throws Exception {
        FrameSealer sealer = new FrameSealer(key(1), H, RekeyPolicy.DEFAULT, System::nanoTime);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(sealOne(sealer, FrameType.STREAM, "x"));
        wire.writeBytes(sealOne(sealer, FrameType.KEY_UPDATE, ""));
        sealer.rekey();
        wire.writeBytes(sealOne(sealer, FrameType.STREAM, "y"));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new FrameOpener(key(1), H), 65_535);
        assertThat(reader.read()).isEqualTo(new Frame.StreamData(1, "x".getBytes()));
        assertThat(reader.read()).isEqualTo(new Frame.KeyUpdate());
        assertThat(reader.read()).isEqualTo(new Frame.StreamData(1, "y".getBytes()));
        assertThat(reader.read()).isNull();
    }

    @Test
    void replayedFrameFailsBecauseTheCounterMoved() throws Exception {
        FrameSealer sealer = new FrameSealer(key(1), H, RekeyPolicy.DEFAULT, System::nanoTime);
        byte[] one = sealOne(sealer, FrameType.STREAM, "once");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(one);
        wire.writeBytes(one);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new FrameOpener(key(1), H), 65_535);
        assertThat(reader.read()).isInstanceOf(Frame.StreamData.class);
        assertThatThrownBy(reader::read).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void oversizeFrameIsRejectedBeforeItsBodyIsRead() {
        byte[] header = HexFormat.of().parseHex("0100000001");
        FrameReader reader = new FrameReader(new ByteArrayInputStream(header), new FrameOpener(key(1), H), 65_535);
        assertThatThrownBy(reader::read).isInstanceOf(FrameFormatException.class).hasMessageContaining("exceeds the limit");
    }

    private static byte[] sealOne(FrameSealer sealer, FrameType type, String text) {
        byte[] pt = text.getBytes();
        byte[] out = new byte[64 + pt.length];
        int n = sealer.seal(type, type.hasStreamId() ? 1 : -1, pt, 0, pt.length, out, 0);
        return Arrays.copyOf(out, n);
    }
}
