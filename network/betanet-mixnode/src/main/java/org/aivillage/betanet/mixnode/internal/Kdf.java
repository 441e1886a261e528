package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.HmacSha256;

/**
 * Sphinx key derivation. The per-hop schedule of packet format v2 (docs/protocols/sphinx.md): HKDF-SHA256
 * (RFC 5869) with a 32-byte output, i.e. one extract and one expand block, gives a seed; the ChaCha20
 * keystream of that seed (zero nonce, counter 0) is the hop's whole key material, as the Sphinx paper's
 * PRG and Nym's and Katzenpost's implementations expand one hop secret with a stream cipher instead of a
 * long HKDF output.
 */
public final class Kdf {
    /** HKDF-SHA256's output block; the seed is exactly one. */
    public static final int SEED_LENGTH = 32;
    private static final byte[] BLOCK_ONE = {1};

    private Kdf() {}

    /** HKDF-SHA256(salt, ikm, info) with any output length (the facade's {@link Hkdf}). */
    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        return Hkdf.sha256(ikm, salt, info, length);
    }

    public static byte[] expand(byte[] prk, byte[] info, int length) {
        return Hkdf.expand(Hashes.Algorithm.SHA256, prk, info, length);
    }

    /**
     * HKDF-SHA256(salt, ikm, info, 32): PRK = HMAC(salt, ikm), seed = HMAC(PRK, info || 0x01). Equal to
     * {@code hkdf(salt, ikm, info, 32)}, on the per-thread JDK HMAC (two HMACs, nothing else).
     */
    public static byte[] seed(byte[] salt, byte[] ikm, byte[] info) {
        byte[] prk = HmacSha256.mac(salt, ikm);
        try {
            return HmacSha256.mac(prk, info, BLOCK_ONE);
        } finally {
            ConstantTime.wipe(prk);
        }
    }

    /**
     * Overwrites {@code buf[off, off+len)} with itself XOR the ChaCha20 keystream of {@code seed} (zero
     * nonce, counter 0): zeros become key material, ciphertext that follows becomes plaintext, in one pass.
     */
    public static void stream(byte[] seed, byte[] buf, int off, int len) {
        ChaCha20Stream.xorInPlace(seed, buf, off, len);
    }
}
