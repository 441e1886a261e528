package org.aivillage.betanet.mixnode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.HmacSha256;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.internal.Kdf;
import org.aivillage.betanet.mixnode.internal.Lioness;

/**
 * The BetaNet Sphinx packet format: Sphinx (Danezis and Goldberg, 2009) in its KEM-per-hop form
 * (Katzenpost's "KEM Sphinx"; the per-hop X25519 KEM ciphertext travels inside the encrypted routing
 * information instead of one group element being re-blinded at every hop), with a LIONESS payload,
 * per-hop replay tags and single-use reply blocks. docs/protocols/sphinx.md gives the construction,
 * the parameters and the reasons. Format version 3: a hop's keys are the ChaCha20 keystream of one
 * SP 800-56C one-step SHA-256 seed, and LIONESS hashes with prefix-keyed SHA-256. Pure functions over
 * bytes; thread-safe.
 *
 * <pre>
 * packet  = header (470) || payload (1578)                        = 2048 bytes, always
 * header  = version (1) || keyPhase (1) || ct (32) || beta (6 x 70) || gamma (16)
 * slot    = cmd (1) || nextKeyPhase (1) || address (16) || delayMs (4) || nextCt (32) || nextGamma (16)
 * payload = LIONESS layers over ( 16 zero bytes || message (1562) )
 * </pre>
 */
public final class Sphinx {
    /** Packet format version 3: the per-hop key schedule of docs/protocols/sphinx.md (v1 and v2 packets are refused). */
    public static final byte VERSION = 0x03;
    public static final int MAX_HOPS = 6;
    public static final int PACKET_LENGTH = 2048;
    public static final int SLOT_LENGTH = 70;
    public static final int BETA_LENGTH = MAX_HOPS * SLOT_LENGTH;
    public static final int MAC_LENGTH = 16;
    public static final int HEADER_LENGTH = 2 + 32 + BETA_LENGTH + MAC_LENGTH;
    public static final int PAYLOAD_LENGTH = PACKET_LENGTH - HEADER_LENGTH;
    public static final int TAG_LENGTH = 16;
    public static final int MESSAGE_LENGTH = PAYLOAD_LENGTH - TAG_LENGTH;
    public static final int REPLAY_TAG_LENGTH = 16;

    static final int OFF_PHASE = 1;
    static final int OFF_CT = 2;
    static final int OFF_BETA = 34;
    static final int OFF_GAMMA = OFF_BETA + BETA_LENGTH;
    private static final int S_PHASE = 1;
    private static final int S_ADDR = 2;
    private static final int S_DELAY = 18;
    private static final int S_CT = 22;
    private static final int S_MAC = 54;
    private static final int STREAM_LENGTH = BETA_LENGTH + SLOT_LENGTH;

    private static final byte[] KDF_LABEL = "betanet-sphinx-v3".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SURB_KEY_INFO = "betanet-sphinx-v3 surb payload".getBytes(StandardCharsets.US_ASCII);
    // A hop's keystream S = ChaCha20(seed): MAC key || LIONESS key || replay tag || unused, then the beta stream.
    private static final int K_MAC = 0;
    private static final int K_LIONESS = 32;
    private static final int K_REPLAY = K_LIONESS + Lioness.KEY_LENGTH;
    /** Three ChaCha20 blocks: the key material (176 bytes) rounded up so that the beta stream starts at block 3. */
    private static final int KEY_BLOCK = 192;
    /** The hop's keystream length: key block, then the stream over {@code beta || 0^70}. */
    private static final int HOP_STREAM = KEY_BLOCK + STREAM_LENGTH;

    /** The final-hop commands (slot byte 0). */
    public enum Command {
        RELAY(1), DELIVER(2), SURB_DELIVER(3), DROP(4);

        final byte code;

        Command(int code) {
            this.code = (byte) code;
        }
    }

    /** Where packet construction takes its randomness from; {@link Randomness#fill} outside of tests. */
    @FunctionalInterface
    public interface RandomSource {
        void nextBytes(byte[] out);

        RandomSource SECURE = Randomness::fill;
    }

    /** A node's Sphinx private keys by key phase (the low byte of the key epoch); null when it has none. */
    @FunctionalInterface
    public interface KeyRing {
        KeyPair keyFor(int keyPhase);
    }

    /**
     * A node's replay store, asked before the payload is decrypted: true when a packet with this tag was
     * already accepted under the key of {@code keyPhase}. A read-only early exit that saves a replayed
     * packet's LIONESS pass; the node's authoritative check-and-insert still runs on the result.
     */
    @FunctionalInterface
    public interface ReplayFilter {
        boolean seen(int keyPhase, byte[] replayTag);

        ReplayFilter NONE = (phase, tag) -> false;
    }

    /** A SURB together with the secrets its creator keeps. */
    public record SurbAndSecrets(Surb surb, SurbSecrets secrets) {}

    private Sphinx() {}

    // ------------------------------------------------------------------ construction

    /**
     * Builds a forward packet along {@code path} (1..{@link #MAX_HOPS} hops; send it to path[0]) whose
     * last hop executes {@code finalCommand} with {@code finalAddress} and, for DELIVER, receives
     * {@code message} (at most {@link #MESSAGE_LENGTH} bytes, zero-padded to that length).
     */
    public static byte[] createPacket(List<Hop> path, Command finalCommand, RouteId finalAddress, byte[] message,
                                      RandomSource rnd) {
        if (finalCommand == Command.RELAY) {
            throw new IllegalArgumentException("the final command cannot be RELAY");
        }
        byte[] body = body(message);
        Built b = buildHeader(path, finalCommand, finalAddress, rnd);
        for (int i = path.size() - 1; i >= 0; i--) {
            Lioness.encrypt(b.keys[i], K_LIONESS, body, 0, PAYLOAD_LENGTH);
        }
        b.wipe();
        byte[] packet = Arrays.copyOf(b.header, PACKET_LENGTH);
        System.arraycopy(body, 0, packet, HEADER_LENGTH, PAYLOAD_LENGTH);
        return packet;
    }

    /** Builds a SURB routing back along {@code path} (the last hop is the creator's provider) to mailbox {@code surbId}. */
    public static SurbAndSecrets createSurb(List<Hop> path, RouteId surbId, RandomSource rnd) {
        Built b = buildHeader(path, Command.SURB_DELIVER, surbId, rnd);
        byte[][] hopKeys = new byte[path.size()][];
        for (int i = 0; i < hopKeys.length; i++) {
            hopKeys[i] = Arrays.copyOfRange(b.keys[i], K_LIONESS, K_LIONESS + Lioness.KEY_LENGTH);
        }
        b.wipe();
        byte[] payloadKey = new byte[32];
        rnd.nextBytes(payloadKey);
        Surb surb = new Surb(path.getFirst().id(), b.header, payloadKey);
        return new SurbAndSecrets(surb, new SurbSecrets(surbId, hopKeys, payloadKey));
    }

    /** The replier's side: a reply packet carrying {@code message} along {@code surb} (send it to surb.firstHop()). */
    public static byte[] packetFromSurb(Surb surb, byte[] message) {
        byte[] body = body(message);
        byte[] k = surbLionessKey(surb.payloadKey());
        Lioness.encrypt(k, 0, body, 0, PAYLOAD_LENGTH);
        ConstantTime.wipe(k);
        byte[] packet = Arrays.copyOf(surb.header(), PACKET_LENGTH);
        System.arraycopy(body, 0, packet, HEADER_LENGTH, PAYLOAD_LENGTH);
        return packet;
    }

    /** The SURB creator's side: the {@link #MESSAGE_LENGTH}-byte reply message from a {@link Processed.SurbReply} payload. */
    public static byte[] openReply(SurbSecrets secrets, byte[] payload) throws SphinxException {
        if (payload == null || payload.length != PAYLOAD_LENGTH) {
            throw new SphinxException("reply.payload", 0, "must be " + PAYLOAD_LENGTH + " bytes");
        }
        if (secrets.isDestroyed()) {
            throw new SphinxException("reply.surb", 0, "SURB secrets already used");
        }
        byte[] body = payload.clone();
        byte[][] keys = secrets.hopPayloadKeys();
        for (int i = keys.length - 1; i >= 0; i--) {
            Lioness.encrypt(keys[i], 0, body, 0, PAYLOAD_LENGTH);
        }
        byte[] k = surbLionessKey(secrets.payloadKey());
        Lioness.decrypt(k, 0, body, 0, PAYLOAD_LENGTH);
        ConstantTime.wipe(k);
        return checkedMessage(body, 0);
    }

    private static byte[] body(byte[] message) {
        if (message == null || message.length > MESSAGE_LENGTH) {
            throw new IllegalArgumentException("message must be at most " + MESSAGE_LENGTH + " bytes");
        }
        byte[] body = new byte[PAYLOAD_LENGTH];
        System.arraycopy(message, 0, body, TAG_LENGTH, message.length);
        return body;
    }

    private static byte[] surbLionessKey(byte[] payloadKey) {
        return Kdf.expand(payloadKey, SURB_KEY_INFO, Lioness.KEY_LENGTH);
    }

    private record Built(byte[] header, byte[][] keys) {
        void wipe() {
            for (byte[] k : keys) {
                ConstantTime.wipe(k);
            }
        }
    }

    private static Built buildHeader(List<Hop> path, Command finalCommand, RouteId finalAddress, RandomSource rnd) {
        int n = path.size();
        if (n < 1 || n > MAX_HOPS) {
            throw new IllegalArgumentException("a Sphinx path has 1.." + MAX_HOPS + " hops, not " + n);
        }
        byte[][] ct = new byte[n][];
        byte[][] keys = new byte[n][];
        byte[][] rho = new byte[n][];
        for (int i = 0; i < n; i++) {
            Hop hop = path.get(i);
            byte[] eph = new byte[32];
            rnd.nextBytes(eph);
            ct[i] = X25519.publicKey(eph);
            byte[] dh;
            try {
                dh = X25519.sharedSecret(eph, hop.keyRef());
            } catch (CryptoException e) {
                throw new IllegalArgumentException("hop " + i + " has a low-order Sphinx public key", e);
            } finally {
                ConstantTime.wipe(eph);
            }
            byte[] seed = seed(dh, ct[i], hop.keyRef());
            ConstantTime.wipe(dh);
            keys[i] = new byte[HOP_STREAM];
            Kdf.stream(seed, keys[i], 0, HOP_STREAM);
            ConstantTime.wipe(seed);
            rho[i] = Arrays.copyOfRange(keys[i], KEY_BLOCK, HOP_STREAM);
        }
        // Filler: what the decryptions at hops 0..n-2 append to the end of beta, precomputed.
        byte[] phi = new byte[0];
        for (int i = 1; i < n; i++) {
            byte[] next = Arrays.copyOf(phi, i * SLOT_LENGTH);
            int from = STREAM_LENGTH - i * SLOT_LENGTH;
            for (int j = 0; j < next.length; j++) {
                next[j] ^= rho[i - 1][from + j];
            }
            phi = next;
        }
        // Last hop's beta: its slot, random padding, then the filler.
        byte[] beta = new byte[BETA_LENGTH];
        int plain = BETA_LENGTH - (n - 1) * SLOT_LENGTH;
        writeSlot(beta, 0, finalCommand, 0, finalAddress, path.get(n - 1).delayMillis(), null, null);
        byte[] pad = new byte[plain - SLOT_LENGTH];
        rnd.nextBytes(pad);
        System.arraycopy(pad, 0, beta, SLOT_LENGTH, pad.length);
        for (int j = 0; j < plain; j++) {
            beta[j] ^= rho[n - 1][j];
        }
        System.arraycopy(phi, 0, beta, plain, phi.length);
        byte[] gamma = mac(keys[n - 1], path.get(n - 1).keyPhase(), ct[n - 1], beta);
        for (int i = n - 2; i >= 0; i--) {
            Hop next = path.get(i + 1);
            byte[] b = new byte[BETA_LENGTH];
            writeSlot(b, 0, Command.RELAY, next.keyPhase(), next.id(), path.get(i).delayMillis(), ct[i + 1], gamma);
            System.arraycopy(beta, 0, b, SLOT_LENGTH, BETA_LENGTH - SLOT_LENGTH);
            for (int j = 0; j < BETA_LENGTH; j++) {
                b[j] ^= rho[i][j];
            }
            beta = b;
            gamma = mac(keys[i], path.get(i).keyPhase(), ct[i], beta);
        }
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = VERSION;
        header[OFF_PHASE] = (byte) path.getFirst().keyPhase();
        System.arraycopy(ct[0], 0, header, OFF_CT, 32);
        System.arraycopy(beta, 0, header, OFF_BETA, BETA_LENGTH);
        System.arraycopy(gamma, 0, header, OFF_GAMMA, MAC_LENGTH);
        return new Built(header, keys);
    }

    private static void writeSlot(byte[] b, int off, Command cmd, int nextPhase, RouteId address, int delayMillis,
                                  byte[] nextCt, byte[] nextGamma) {
        b[off] = cmd.code;
        b[off + S_PHASE] = (byte) nextPhase;
        if (address != null) {
            address.writeTo(b, off + S_ADDR);
        }
        b[off + S_DELAY] = (byte) (delayMillis >>> 24);
        b[off + S_DELAY + 1] = (byte) (delayMillis >>> 16);
        b[off + S_DELAY + 2] = (byte) (delayMillis >>> 8);
        b[off + S_DELAY + 3] = (byte) delayMillis;
        if (nextCt != null) {
            System.arraycopy(nextCt, 0, b, off + S_CT, 32);
            System.arraycopy(nextGamma, 0, b, off + S_MAC, MAC_LENGTH);
        }
    }

    /** The hop seed: SHA-256(00000001 || shared secret || "betanet-sphinx-v3" || ct || pk) (SP 800-56C one-step). */
    private static byte[] seed(byte[] dh, byte[] ct, byte[] publicKey) {
        return Kdf.seed(dh, KDF_LABEL, ct, publicKey);
    }

    private static byte[] mac(byte[] keys, int phase, byte[] ct, byte[] beta) {
        byte[] buf = new byte[OFF_GAMMA];
        buf[0] = VERSION;
        buf[OFF_PHASE] = (byte) phase;
        System.arraycopy(ct, 0, buf, OFF_CT, 32);
        System.arraycopy(beta, 0, buf, OFF_BETA, BETA_LENGTH);
        return macOver(keys, buf, 0);
    }

    private static byte[] macOver(byte[] keys, byte[] header, int off) {
        byte[] full = new byte[32];
        byte[] k = Arrays.copyOfRange(keys, K_MAC, K_MAC + 32);
        HmacSha256.mac(k, header, off, OFF_GAMMA, full, 0);
        ConstantTime.wipe(k);
        return Arrays.copyOf(full, MAC_LENGTH);
    }

    /** Constant-time: the first 16 bytes of {@code full} against {@code packet[OFF_GAMMA, OFF_GAMMA+16)}. */
    private static boolean gammaMatches(byte[] full, byte[] packet) {
        int acc = 0;
        for (int i = 0; i < MAC_LENGTH; i++) {
            acc |= full[i] ^ packet[OFF_GAMMA + i];
        }
        return acc == 0;
    }

    // ------------------------------------------------------------------ processing

    /**
     * Unwraps one layer with this node's keys. Checks length, version, key phase, the KEM ciphertext
     * and the header MAC before anything else; a DELIVER payload is integrity-checked. The caller
     * must check {@link Processed#replayTag()} against its replay store before acting on the result.
     *
     * @throws SphinxException for any malformed, unauthenticated or undeliverable packet
     */
    public static Processed process(byte[] packet, KeyRing keys) throws SphinxException {
        return process(packet, keys, ReplayFilter.NONE);
    }

    /**
     * {@link #process(byte[], KeyRing)} that also asks {@code replays} about the replay tag once the header
     * MAC has verified and before the payload is touched.
     *
     * @throws SphinxException as {@link #process(byte[], KeyRing)}, and on field {@code replay} when
     *         {@code replays} has seen the tag
     */
    public static Processed process(byte[] packet, KeyRing keys, ReplayFilter replays) throws SphinxException {
        if (packet == null || packet.length != PACKET_LENGTH) {
            throw new SphinxException("length", 0, "packet must be " + PACKET_LENGTH + " bytes, got "
                    + (packet == null ? "null" : packet.length));
        }
        if (packet[0] != VERSION) {
            throw new SphinxException("version", 0, "unknown version " + (packet[0] & 0xff));
        }
        int phase = packet[OFF_PHASE] & 0xff;
        KeyPair key = keys.keyFor(phase);
        if (key == null) {
            throw new SphinxException("keyPhase", OFF_PHASE, "no Sphinx key for phase " + phase);
        }
        byte[] ct = Arrays.copyOfRange(packet, OFF_CT, OFF_CT + 32);
        byte[] priv = key.privateKey();
        byte[] dh;
        try {
            dh = X25519.sharedSecret(priv, ct);
        } catch (CryptoException e) {
            throw new SphinxException("ct", OFF_CT, "low-order KEM ciphertext");
        } finally {
            ConstantTime.wipe(priv);
        }
        byte[] seed = seed(dh, ct, key.publicKey());
        ConstantTime.wipe(dh);
        // One ChaCha20 pass: zeros become the key block, beta || 0^70 becomes the decrypted routing
        // information. Nothing of the latter is read before gamma verifies.
        byte[] w = new byte[HOP_STREAM];
        System.arraycopy(packet, OFF_BETA, w, KEY_BLOCK, BETA_LENGTH);
        Kdf.stream(seed, w, 0, HOP_STREAM);
        ConstantTime.wipe(seed);
        try {
            byte[] mac = new byte[HmacSha256.LENGTH];
            byte[] macKey = Arrays.copyOfRange(w, K_MAC, K_MAC + 32);
            HmacSha256.mac(macKey, packet, 0, OFF_GAMMA, mac, 0);
            ConstantTime.wipe(macKey);
            if (!gammaMatches(mac, packet)) {
                throw new SphinxException("gamma", OFF_GAMMA, "header MAC mismatch");
            }
            byte[] replayTag = Arrays.copyOfRange(w, K_REPLAY, K_REPLAY + REPLAY_TAG_LENGTH);
            if (replays.seen(phase, replayTag)) {
                throw new SphinxException("replay", OFF_CT, "replay tag already seen in this key epoch");
            }
            int b = KEY_BLOCK;
            int cmd = w[b];
            RouteId address = RouteId.of(w, b + S_ADDR);
            int delay = ((w[b + S_DELAY] & 0xff) << 24) | ((w[b + S_DELAY + 1] & 0xff) << 16)
                    | ((w[b + S_DELAY + 2] & 0xff) << 8) | (w[b + S_DELAY + 3] & 0xff);
            if (cmd == Command.DROP.code) {
                return new Processed.Drop(address, replayTag);
            }
            if (cmd == Command.RELAY.code) {
                if (delay < 0) {
                    throw new SphinxException("beta.delay", OFF_BETA + S_DELAY, "delay out of range");
                }
                // The next packet is assembled in place: header from the decrypted routing information,
                // payload copied once and LIONESS-decrypted where it lies.
                byte[] out = new byte[PACKET_LENGTH];
                out[0] = VERSION;
                out[OFF_PHASE] = w[b + S_PHASE];
                System.arraycopy(w, b + S_CT, out, OFF_CT, 32);
                System.arraycopy(w, b + SLOT_LENGTH, out, OFF_BETA, BETA_LENGTH);
                System.arraycopy(w, b + S_MAC, out, OFF_GAMMA, MAC_LENGTH);
                System.arraycopy(packet, HEADER_LENGTH, out, HEADER_LENGTH, PAYLOAD_LENGTH);
                Lioness.decrypt(w, K_LIONESS, out, HEADER_LENGTH, PAYLOAD_LENGTH);
                return new Processed.Relay(address, delay, out, replayTag);
            }
            if (cmd != Command.DELIVER.code && cmd != Command.SURB_DELIVER.code) {
                throw new SphinxException("beta.cmd", OFF_BETA, "unknown routing command " + (cmd & 0xff));
            }
            byte[] body = Arrays.copyOfRange(packet, HEADER_LENGTH, PACKET_LENGTH);
            Lioness.decrypt(w, K_LIONESS, body, 0, PAYLOAD_LENGTH);
            if (cmd == Command.DELIVER.code) {
                return new Processed.Deliver(address, checkedMessage(body, HEADER_LENGTH), replayTag);
            }
            return new Processed.SurbReply(address, body, replayTag);
        } finally {
            ConstantTime.wipe(w);
        }
    }

    private static byte[] checkedMessage(byte[] body, int reportOffset) throws SphinxException {
        int acc = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            acc |= body[i];
        }
        if (acc != 0) {
            throw new SphinxException("payload", reportOffset, "integrity tag mismatch (payload tampered)");
        }
        return Arrays.copyOfRange(body, TAG_LENGTH, PAYLOAD_LENGTH);
    }
}
