package org.aivillage.betanet.htx.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;

/**
 * The HTX inner key schedule (Betanet 1.1 §5.3, docs/protocols/htx.md §Keys). All functions are
 * pure; callers wipe what they no longer need.
 *
 * <pre>
 * exporter = TLS-Exporter("EXPORTER-betanet-htx-v1", "", 32)                (RFC 8446 §7.5)
 * K0       = HKDF-Expand-Label(exporter, "htx inner v1", "", 64)
 * prologue = "betanet-htx-xk-v1" || HKDF-Expand-Label(K0, "htx prologue", "", 32)
 * noise_x  = EncryptWithAd(Noise split CipherState x, ad = "betanet-htx export", 0^32)   (48 bytes each)
 * Kinner   = HKDF-SHA256(ikm = K0 || noise_c2s || noise_s2c, salt = h, info = "htx inner keys v1", 64)
 * Kc, Ks   = Kinner[0:32], Kinner[32:64]          (client-to-server, server-to-client)
 * NS       = HKDF-Expand-Label(K, "ns", "", 12)
 * nonce    = NS XOR (LE64(counter) || LE32(0))
 * K'       = HKDF-Expand-Label(K, "next", h, 64)[0:32]     (rekey; counter reset, new NS)
 * </pre>
 */
public final class KeySchedule {
    public static final String EXPORTER_LABEL = "EXPORTER-betanet-htx-v1";
    public static final byte[] EXPORTER_CONTEXT = new byte[0];
    public static final int EXPORTER_LENGTH = 32;
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    static final byte[] EMPTY = new byte[0];
    static final byte[] PROLOGUE_PREFIX = "betanet-htx-xk-v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INNER_INFO = "htx inner keys v1".getBytes(StandardCharsets.US_ASCII);

    private KeySchedule() {}

    /** K0 = HKDF-Expand-Label(exporter, "htx inner v1", "", 64). */
    public static byte[] k0(byte[] exporter) {
        return Hkdf.expandLabel(exporter, "htx inner v1", EMPTY, 64);
    }

    /** The Noise prologue: binds the handshake to this TLS session without revealing K0. */
    public static byte[] prologue(byte[] k0) {
        byte[] tag = Hkdf.expandLabel(k0, "htx prologue", EMPTY, 32);
        byte[] out = new byte[PROLOGUE_PREFIX.length + tag.length];
        System.arraycopy(PROLOGUE_PREFIX, 0, out, 0, PROLOGUE_PREFIX.length);
        System.arraycopy(tag, 0, out, PROLOGUE_PREFIX.length, tag.length);
        return out;
    }

    /**
     * The two direction keys from K0, the material exported from the Noise split (which carries the
     * ML-KEM secret too in the hybrid) and the handshake hash.
     */
    public static DirectionKeys innerKeys(byte[] k0, byte[] noiseC2s, byte[] noiseS2c, byte[] handshakeHash) {
        byte[] ikm = concat(k0, noiseC2s, noiseS2c);
        byte[] inner = Hkdf.sha256(ikm, handshakeHash, INNER_INFO, 64);
        ConstantTime.wipe(ikm);
        byte[] c = Arrays.copyOfRange(inner, 0, 32);
        byte[] s = Arrays.copyOfRange(inner, 32, 64);
        ConstantTime.wipe(inner);
        return new DirectionKeys(c, s);
    }

    /** Client-to-server and server-to-client keys. */
    public record DirectionKeys(byte[] clientToServer, byte[] serverToClient) {
        public void wipe() {
            ConstantTime.wipe(clientToServer);
            ConstantTime.wipe(serverToClient);
        }

        @Override
        public String toString() {
            return "DirectionKeys[redacted]";
        }
    }

    /** NS = HKDF-Expand-Label(K, "ns", "", 12). */
    public static byte[] nonceSalt(byte[] key) {
        return Hkdf.expandLabel(key, "ns", EMPTY, NONCE_LENGTH);
    }

    /** K' = HKDF-Expand-Label(K, "next", transcript_hash, 64); the first 32 bytes are the next key. */
    public static byte[] nextKey(byte[] key, byte[] transcriptHash) {
        byte[] out = Hkdf.expandLabel(key, "next", transcriptHash, 64);
        byte[] next = Arrays.copyOf(out, KEY_LENGTH);
        ConstantTime.wipe(out);
        return next;
    }

    /** nonce = NS XOR (LE64(counter) || LE32(0)), written into {@code out}. */
    public static void nonce(byte[] ns, long counter, byte[] out) {
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (ns[i] ^ (counter >>> (8 * i)));
        }
        out[8] = ns[8];
        out[9] = ns[9];
        out[10] = ns[10];
        out[11] = ns[11];
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** SHA-256, for callers that need a transcript hash. */
    static byte[] sha256(byte[]... parts) {
        return Hashes.sha256(parts);
    }
}
