package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;

/**
 * Sphinx key derivation. The per-hop schedule of packet format v3 (docs/protocols/sphinx.md): the
 * one-step key derivation of NIST SP 800-56C Rev. 2 (§4.1, option 1, H = SHA-256, one 32-byte block)
 * gives a seed, {@code SHA-256(00000001 || Z || FixedInfo)}; the ChaCha20 keystream of that seed (zero
 * nonce, counter 0) is the hop's whole key material, as the Sphinx paper's PRG and Nym's and
 * Katzenpost's implementations expand one hop secret with a stream cipher. HKDF stays for the SURB
 * payload key ({@link #expand}), which is derived once per reply, not per hop.
 */
public final class Kdf {
    /** SHA-256's output: the seed is exactly one hash. */
    public static final int SEED_LENGTH = 32;
    /** SP 800-56C's 32-bit big-endian counter for the first (and only) block. */
    private static final byte[] COUNTER_ONE = {0, 0, 0, 1};

    private Kdf() {}

    /** HKDF-SHA256(salt, ikm, info) with any output length (the facade's {@link Hkdf}). */
    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        return Hkdf.sha256(ikm, salt, info, length);
    }

    public static byte[] expand(byte[] prk, byte[] info, int length) {
        return Hkdf.expand(Hashes.Algorithm.SHA256, prk, info, length);
    }

    /**
     * The v3 hop seed: SP 800-56C Rev. 2 one-step KDF with SHA-256 and a 32-bit counter of 1,
     * {@code SHA-256(00000001 || z || label || fixedInfo...)}: one hash, two compression blocks for a
     * 32-byte shared secret, a 17-byte label and 64 bytes of FixedInfo.
     */
    public static byte[] seed(byte[] z, byte[] label, byte[]... fixedInfo) {
        byte[][] parts = new byte[3 + fixedInfo.length][];
        parts[0] = COUNTER_ONE;
        parts[1] = z;
        parts[2] = label;
        System.arraycopy(fixedInfo, 0, parts, 3, fixedInfo.length);
        return Hashes.sha256(parts);
    }

    /**
     * Overwrites {@code buf[off, off+len)} with itself XOR the ChaCha20 keystream of {@code seed} (zero
     * nonce, counter 0): zeros become key material, ciphertext that follows becomes plaintext, in one pass.
     */
    public static void stream(byte[] seed, byte[] buf, int off, int len) {
        ChaCha20Stream.xorInPlace(seed, buf, off, len);
    }
}
