package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.HmacSha256;

/**
 * LIONESS (Anderson and Biham, "Two practical and provably secure block ciphers: BEAR and LION",
 * FSE 1996): a wide-block cipher over the whole Sphinx payload, built from a stream cipher (ChaCha20)
 * and a keyed hash (HMAC-SHA256). Any change to any ciphertext bit turns the whole decryption into
 * noise, which is what defeats tagging attacks on the payload.
 *
 * <p>Block = L (32 bytes) || R (the rest). Key = K1 || K2 || K3 || K4 (4 x 32 bytes). Encryption:
 * R ^= S(L^K1); L ^= H(K2, R); R ^= S(L^K3); L ^= H(K4, R). Decryption runs the rounds backwards.
 */
public final class Lioness {
    public static final int KEY_LENGTH = 128;
    public static final int MIN_BLOCK = 64;
    private static final int L = 32;

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

    /** L ^= HMAC-SHA256(K, R). */
    private static void hashRound(byte[] key, int kOff, byte[] buf, int off, int len) {
        byte[] k = java.util.Arrays.copyOfRange(key, kOff, kOff + 32);
        byte[] h = new byte[32];
        HmacSha256.mac(k, buf, off + L, len - L, h, 0);
        for (int i = 0; i < L; i++) {
            buf[off + i] ^= h[i];
        }
        java.util.Arrays.fill(k, (byte) 0);
    }
}
