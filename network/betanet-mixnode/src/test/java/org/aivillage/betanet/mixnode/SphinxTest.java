package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.Hmac;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.internal.Kdf;
import org.aivillage.betanet.mixnode.internal.Lioness;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class SphinxTest {
    private static final int NODES = Sphinx.MAX_HOPS;
    private static final List<KeyPair> KEYS = new ArrayList<>();

    static {
        for (int i = 0; i < NODES; i++) {
            KEYS.add(X25519.generateKeyPair());
        }
    }

    private static List<Hop> path(int hops) {
        List<Hop> p = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            p.add(new Hop(RouteId.forIdentityKey(KEYS.get(i).publicKey()), KEYS.get(i).publicKey(), 3, i * 10));
        }
        return p;
    }

    private static Sphinx.KeyRing ring(int i) {
        return phase -> phase == 3 ? KEYS.get(i) : null;
    }

    /** Runs a packet through hops 0..n-1; returns the final outcome or throws the first hop's exception. */
    private static Processed run(byte[] packet, int hops) throws SphinxException {
        Processed p = null;
        for (int i = 0; i < hops; i++) {
            p = Sphinx.process(packet, ring(i));
            if (i < hops - 1) {
                assertThat(p).isInstanceOf(Processed.Relay.class);
                Processed.Relay r = (Processed.Relay) p;
                assertThat(r.next()).isEqualTo(RouteId.forIdentityKey(KEYS.get(i + 1).publicKey()));
                assertThat(r.delayMillis()).isEqualTo(i * 10);
                assertThat(r.packet()).hasSize(Sphinx.PACKET_LENGTH);
                packet = r.packet();
            }
        }
        return p;
    }

    @Test
    void parametersMatchTheDocument() {
        assertThat(Sphinx.HEADER_LENGTH).isEqualTo(470);
        assertThat(Sphinx.PAYLOAD_LENGTH).isEqualTo(1578);
        assertThat(Sphinx.MESSAGE_LENGTH).isEqualTo(1562);
        assertThat(Surb.LENGTH).isEqualTo(518);
        assertThat(Sphinx.MAX_HOPS).isGreaterThanOrEqualTo(5);
    }

    /** Runs a check that may throw, failing the property with the exception. */
    interface Check {
        void run() throws Exception;
    }

    static void check(Check c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anyPathUnwrapsToThePayload() {
        qt().withExamples(30).forAll(integers().between(1, NODES), Gens.bytes(Sphinx.MESSAGE_LENGTH))
                .checkAssert((hops, message) -> check(() -> unwrapsToPayload(hops, message)));
    }

    private static void unwrapsToPayload(int hops, byte[] message) throws Exception {
        RouteId dest = RouteId.random();
        byte[] packet = Sphinx.createPacket(path(hops), Sphinx.Command.DELIVER, dest, message, Sphinx.RandomSource.SECURE);
        assertThat(packet).hasSize(Sphinx.PACKET_LENGTH);
        Processed last = run(packet, hops);
        assertThat(last).isInstanceOf(Processed.Deliver.class);
        Processed.Deliver d = (Processed.Deliver) last;
        assertThat(d.address()).isEqualTo(dest);
        assertThat(Arrays.copyOf(d.message(), message.length)).isEqualTo(message);
        assertThat(Arrays.copyOfRange(d.message(), message.length, Sphinx.MESSAGE_LENGTH))
                .isEqualTo(new byte[Sphinx.MESSAGE_LENGTH - message.length]);
    }

    @Test
    void surbRepliesOpenForTheCreatorOnly() {
        qt().withExamples(20).forAll(integers().between(1, NODES), Gens.bytes(Sphinx.MESSAGE_LENGTH))
                .checkAssert((hops, reply) -> check(() -> surbRoundTrip(hops, reply)));
    }

    private static void surbRoundTrip(int hops, byte[] reply) throws Exception {
        RouteId surbId = RouteId.random();
        Sphinx.SurbAndSecrets s = Sphinx.createSurb(path(hops), surbId, Sphinx.RandomSource.SECURE);
        Surb decoded = Surb.decode(s.surb().encode(), 0);
        assertThat(decoded).isEqualTo(s.surb());
        byte[] packet = Sphinx.packetFromSurb(decoded, reply);
        Processed last = run(packet, hops);
        Processed.SurbReply r = (Processed.SurbReply) last;
        assertThat(r.surbId()).isEqualTo(surbId);
        // A different SURB's secrets cannot open it.
        SurbSecrets other = Sphinx.createSurb(path(hops), surbId, Sphinx.RandomSource.SECURE).secrets();
        assertThatThrownBy(() -> Sphinx.openReply(other, r.payload())).isInstanceOf(SphinxException.class);
        assertThat(Arrays.copyOf(Sphinx.openReply(s.secrets(), r.payload()), reply.length)).isEqualTo(reply);
    }

    @Test
    void aFlippedBitAnywhereIsRejectedOrDestroysThePayload() {
        qt().withExamples(60).forAll(integers().between(1, NODES), integers().between(0, Sphinx.PACKET_LENGTH * 8 - 1))
                .checkAssert(SphinxTest::flippedForward);
    }

    private static void flippedForward(int hops, int bit) {
        byte[] packet = Sphinx.createPacket(path(hops), Sphinx.Command.DELIVER, RouteId.random(), new byte[] {1, 2, 3},
                Sphinx.RandomSource.SECURE);
        packet[bit / 8] ^= (byte) (1 << (bit % 8));
        Throwable t = catchThrowable(() -> run(packet, hops));
        assertThat(t).isInstanceOf(SphinxException.class);
    }

    @Test
    void aFlippedBitInASurbReplyIsRejected() {
        qt().withExamples(40).forAll(integers().between(1, NODES), integers().between(0, Sphinx.PACKET_LENGTH * 8 - 1))
                .checkAssert(SphinxTest::flippedSurb);
    }

    private static void flippedSurb(int hops, int bit) {
        Sphinx.SurbAndSecrets s = Sphinx.createSurb(path(hops), RouteId.random(), Sphinx.RandomSource.SECURE);
        byte[] packet = Sphinx.packetFromSurb(s.surb(), new byte[] {9, 9});
        packet[bit / 8] ^= (byte) (1 << (bit % 8));
        Throwable t = catchThrowable(() -> {
            Processed.SurbReply r = (Processed.SurbReply) run(packet, hops);
            Sphinx.openReply(s.secrets(), r.payload());
        });
        assertThat(t).isInstanceOf(SphinxException.class);
    }

    @Test
    void randomBytesNeverCrashTheProcessor() {
        qt().withExamples(100).forAll(Gens.bytes(3000)).checkAssert(SphinxTest::junk);
        qt().withExamples(100).forAll(Gens.bytesOfLength(Sphinx.PACKET_LENGTH)).checkAssert(SphinxTest::junk);
        qt().withExamples(100).forAll(Gens.bytesOfLength(Sphinx.PACKET_LENGTH)).checkAssert(b -> {
            b[0] = Sphinx.VERSION;
            b[1] = 3;
            junk(b);
        });
    }

    private static void junk(byte[] junk) {
        Throwable t = catchThrowable(() -> Sphinx.process(junk, ring(0)));
        assertThat(t).isInstanceOf(SphinxException.class);
        Throwable s = catchThrowable(() -> Surb.decode(junk, 0));
        if (s != null) {
            assertThat(s).isInstanceOf(SphinxException.class);
        }
    }

    @Test
    void replayTagIsFixedPerPacketAndHopAndDistinctAcrossPackets() throws Exception {
        byte[] p1 = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        byte[] p2 = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        assertThat(Sphinx.process(p1, ring(0)).replayTag()).isEqualTo(Sphinx.process(p1.clone(), ring(0)).replayTag());
        assertThat(Sphinx.process(p1, ring(0)).replayTag()).isNotEqualTo(Sphinx.process(p2, ring(0)).replayTag());
    }

    @Test
    void wrongSizeUnknownPhaseAndWrongNodeAreRejectedWithFieldAndOffset() {
        byte[] p = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        assertThatThrownBy(() -> Sphinx.process(Arrays.copyOf(p, 2047), ring(0))).isInstanceOf(SphinxException.class)
                .hasMessageContaining("length at offset 0");
        assertThatThrownBy(() -> Sphinx.process(p, phase -> null)).hasMessageContaining("keyPhase at offset 1");
        assertThatThrownBy(() -> Sphinx.process(p, ring(1))).hasMessageContaining("gamma at offset 454");
    }

    @Test
    void dropAndLoopCommandsEndAtTheLastHop() throws Exception {
        RouteId loop = RouteId.random();
        byte[] p = Sphinx.createPacket(path(3), Sphinx.Command.DROP, loop, new byte[0], Sphinx.RandomSource.SECURE);
        Processed last = run(p, 3);
        assertThat(last).isEqualTo(last).isInstanceOf(Processed.Drop.class);
        assertThat(((Processed.Drop) last).address()).isEqualTo(loop);
    }

    @Test
    void kdfMatchesTheFacadeHkdf() {
        byte[] salt = Randomness.bytes(17);
        byte[] ikm = Randomness.bytes(32);
        byte[] info = Randomness.bytes(64);
        assertThat(Kdf.hkdf(salt, ikm, info, 208)).isEqualTo(Hkdf.sha256(ikm, salt, info, 208));
    }

    @Test
    void lionessRoundTripsAndDiffusesEveryBit() {
        qt().withExamples(50).forAll(Gens.bytes(64, 2000), integers().between(0, 63)).checkAssert(SphinxTest::lioness);
    }

    private static void lioness(byte[] block, int bit) {
        byte[] key = Randomness.bytes(Lioness.KEY_LENGTH);
        byte[] c = block.clone();
        Lioness.encrypt(key, 0, c, 0, c.length);
        byte[] tampered = c.clone();
        Lioness.decrypt(key, 0, c, 0, c.length);
        assertThat(c).isEqualTo(block);
        tampered[(bit * 31) % tampered.length] ^= 1;
        Lioness.decrypt(key, 0, tampered, 0, tampered.length);
        // A one-bit change garbles the first 32 bytes and the rest.
        assertThat(Arrays.copyOf(tampered, 32)).isNotEqualTo(Arrays.copyOf(block, 32));
        assertThat(Arrays.copyOfRange(tampered, 32, tampered.length)).isNotEqualTo(Arrays.copyOfRange(block, 32, block.length));
    }

    @Test
    void seedIsTheSp80056cOneStepKdfWithSha256() throws Exception {
        // NIST SP 800-56C Rev. 2 §4.1 option 1, one block: SHA-256(counter 00000001 || Z || FixedInfo),
        // computed here on a plain JDK MessageDigest.
        byte[] z = Randomness.bytes(32);
        byte[] label = "betanet-sphinx-v3".getBytes(StandardCharsets.US_ASCII);
        byte[] ct = Randomness.bytes(32);
        byte[] pk = Randomness.bytes(32);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(new byte[] {0, 0, 0, 1});
        md.update(z);
        md.update(label);
        md.update(ct);
        md.update(pk);
        assertThat(Kdf.seed(z, label, ct, pk)).isEqualTo(md.digest());
    }

    @Test
    void hopKeysAreTheChaCha20KeystreamOfTheOneStepSeed() throws Exception {
        // Re-derives hop 0's keys by hand from docs/protocols/sphinx.md (format v3) with a plain JDK
        // SHA-256, the facade's generic HMAC and ChaCha20, and checks them against what process()
        // accepted and returned, LIONESS included (its four rounds written out here).
        byte[] p = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        Processed.Relay r = (Processed.Relay) Sphinx.process(p, ring(0));
        byte[] ct = Arrays.copyOfRange(p, 2, 34);
        byte[] pk = KEYS.get(0).publicKey();
        byte[] dh = X25519.sharedSecret(KEYS.get(0).privateKey(), ct);
        byte[] seed = sha256(new byte[] {0, 0, 0, 1}, dh, "betanet-sphinx-v3".getBytes(StandardCharsets.US_ASCII), ct, pk);
        byte[] s = ChaCha20Stream.keystream(seed, new byte[12], 0, 192 + 490);
        // MAC key S[0,32): HMAC over version..beta, truncated to 16 bytes, is gamma.
        byte[] gamma = Arrays.copyOf(Hmac.sha256(Arrays.copyOfRange(s, 0, 32), Arrays.copyOf(p, 454)), 16);
        assertThat(gamma).isEqualTo(Arrays.copyOfRange(p, 454, 470));
        // Replay tag S[160,176).
        assertThat(r.replayTag()).isEqualTo(Arrays.copyOfRange(s, 160, 176));
        // Beta stream from S[192..): the decrypted slot names hop 1, the shifted beta is the next header's.
        byte[] beta = Arrays.copyOfRange(p, 34, 454);
        for (int i = 0; i < beta.length; i++) {
            beta[i] ^= s[192 + i];
        }
        assertThat(RouteId.of(beta, 2)).isEqualTo(r.next());
        assertThat(Arrays.copyOfRange(r.packet(), 34, 34 + 350)).isEqualTo(Arrays.copyOfRange(beta, 70, 420));
        // LIONESS key S[32,160) = K1..K4; decryption: L ^= H(K4, R); R ^= S(L ^ K3); L ^= H(K2, R);
        // R ^= S(L ^ K1), with H(K, R) = SHA-256(K || 0^32 || R) and S the ChaCha20 keystream.
        byte[] body = Arrays.copyOfRange(p, 470, 2048);
        byte[][] k = new byte[4][];
        for (int i = 0; i < 4; i++) {
            k[i] = Arrays.copyOfRange(s, 32 + 32 * i, 64 + 32 * i);
        }
        lionessHash(body, k[3]);
        lionessStream(body, k[2]);
        lionessHash(body, k[1]);
        lionessStream(body, k[0]);
        assertThat(Arrays.copyOfRange(r.packet(), 470, 2048)).isEqualTo(body);
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    private static void lionessHash(byte[] block, byte[] key) throws Exception {
        byte[] h = sha256(key, new byte[32], Arrays.copyOfRange(block, 32, block.length));
        for (int i = 0; i < 32; i++) {
            block[i] ^= h[i];
        }
    }

    private static void lionessStream(byte[] block, byte[] key) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (block[i] ^ key[i]);
        }
        byte[] ks = ChaCha20Stream.keystream(k, new byte[12], 0, block.length - 32);
        for (int i = 32; i < block.length; i++) {
            block[i] ^= ks[i - 32];
        }
    }

    @Test
    void aVersion2PacketIsRefusedBeforeAnyCryptography() throws Exception {
        byte[] p = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        assertThat(p[0]).isEqualTo((byte) 3);
        p[0] = 2;
        boolean[] keyAsked = {false};
        assertThatThrownBy(() -> Sphinx.process(p, phase -> {
            keyAsked[0] = true;
            return KEYS.get(0);
        })).isInstanceOf(SphinxException.class).hasMessageContaining("version at offset 0").hasMessageContaining("unknown version 2");
        assertThat(keyAsked[0]).isFalse();
    }

    @Test
    void aReplayFilterIsAskedAfterTheMacAndBeforeThePayload() throws Exception {
        byte[] p = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        byte[] tag = Sphinx.process(p, ring(0)).replayTag();
        List<byte[]> asked = new ArrayList<>();
        Sphinx.ReplayFilter seenBefore = (phase, t) -> {
            asked.add(t);
            return Arrays.equals(t, tag);
        };
        assertThatThrownBy(() -> Sphinx.process(p, ring(0), seenBefore)).isInstanceOf(SphinxException.class)
                .hasMessageContaining("replay at offset 2");
        assertThat(asked).hasSize(1);
        assertThat(asked.getFirst()).isEqualTo(tag);
        // A packet whose MAC fails never reaches the filter.
        byte[] bad = p.clone();
        bad[100] ^= 1;
        assertThatThrownBy(() -> Sphinx.process(bad, ring(0), seenBefore)).hasMessageContaining("gamma");
        assertThat(asked).hasSize(1);
        // Not seen: processed as without a filter.
        byte[] other = Sphinx.createPacket(path(2), Sphinx.Command.DELIVER, RouteId.random(), new byte[0], Sphinx.RandomSource.SECURE);
        assertThat(Sphinx.process(other, ring(0), seenBefore)).isInstanceOf(Processed.Relay.class);
        assertThat(asked).hasSize(2);
    }
}
