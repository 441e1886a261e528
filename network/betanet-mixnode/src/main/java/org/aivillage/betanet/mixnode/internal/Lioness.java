package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.Hashes;

/**
 * LIONESS (Anderson and Biham, "Two practical and provably secure block ciphers: BEAR and LION",
 * FSE 1996): a wide-block cipher over the whole Sphinx payload, built from a stream cipher (ChaCha20)
 * and a keyed hash. Any change to any ciphertext bit turns the whole decryption into noise, which is
 * what defeats tagging attacks on the payload.
 *
 * <p>Block = L (32 bytes) || R (the rest). Key = K1 || K2 || K3 || K4 (4 x 32 bytes). Encryption:
 * R ^= S(L^K1); L ^= H(K2, R); R ^= S(L^K3); L ^= H(K4, R). Decryption runs the rounds backwards.
 *
 * <p>The keyed hash (packet format v3) is {@code H(K, R) = SHA-256(K || 0^32 || R)}: the key fills the
 * first 64-byte block on its own, so its compression is a keyed pseudorandom chaining value (the
 * assumption HMAC's proof rests on), and the rest is SHA-256's cascade over R, a PRF on inputs of one
 * fixed length (Bellare, Canetti and Krawczyk, "Pseudorandom functions revisited: the cascade
 * construction", FOCS 1996). A key is used for one block length only (a Sphinx payload is always
 * 1,578 bytes), so length extension has nothing to extend. HMAC's second hash protects variable
 * lengths, which LIONESS never presents; dropping it saves two compressions and the HMAC set-up per
 * round (format v2 used HMAC-SHA256).
 */
public final class Lioness {
    public static final int KEY_LENGTH = 128;
    public static final int MIN_BLOCK = 64;
    private static final int L = 32;
    /** SHA-256's block: the round key padded with zeros to a block of its own. */
    private static final int KEY_BLOCK = 64;

    private Lioness() {}

    public static void encrypt(byte[] key, int keyOff, byte[] buf, int off, int len) {
        check(len);
        streamRound(key, keyOff, buf, off, len);
        hashRound(key, keyOff + 32, buf, off, len);
        streamRound(key, keyOff + 64, buf, off, len);
        hashRound(key, keyOff + 96, buf, off, len);
    }

    public static void decrypt(byte[] key, int keyOff, byte[] buf, int off, int len) {
        check(len);
        hashRound(key, keyOff + 96, buf, off, len);
        streamRound(key, keyOff + 64, buf, off, len);
        hashRound(key, keyOff + 32, buf, off, len);
        streamRound(key, keyOff, buf, off, len);
    }

    private static void check(int len) {
        if (len < MIN_BLOCK) {
            throw new IllegalArgumentException("Lioness block must be at least " + MIN_BLOCK + " bytes");
        }
    }

    /** R ^= ChaCha20(L ^ K). */
    private static void streamRound(byte[] key, int kOff, byte[] buf, int off, int len) {
        byte[] k = new byte[L];
        for (int i = 0; i < L; i++) {
            k[i] = (byte) (buf[off + i] ^ key[kOff + i]);
        }
        ChaCha20Stream.xorInPlace(k, buf, off + L, len - L);
        java.util.Arrays.fill(k, (byte) 0);
    }

    /** L ^= SHA-256(K || 0^32 || R). */
    private static void hashRound(byte[] key, int kOff, byte[] buf, int off, int len) {
        byte[] block = new byte[KEY_BLOCK];
        System.arraycopy(key, kOff, block, 0, 32);
        byte[] h = new byte[32];
        Hashes.sha256(block, buf, off + L, len - L, h, 0);
        for (int i = 0; i < L; i++) {
            buf[off + i] ^= h[i];
        }
        java.util.Arrays.fill(block, (byte) 0);
        java.util.Arrays.fill(h, (byte) 0);
    }
}
