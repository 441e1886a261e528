package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The raw ChaCha20 stream cipher (RFC 8439 §2.4): 32-byte key, 12-byte nonce, 32-bit initial block
 * counter. Unauthenticated: callers authenticate separately (Sphinx header MACs, Lioness). Backed by
 * the JDK's "ChaCha20" cipher (vectorised intrinsics); one cached cipher per thread.
 */
public final class ChaCha20Stream {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    private static final byte[] ZERO_NONCE = new byte[NONCE_LENGTH];
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20", e);
        }
    });

    private ChaCha20Stream() {}

    /**
     * XORs {@code length} bytes of the keystream (starting at block {@code counter}) into
     * {@code in[inOff..]} and writes the result to {@code out[outOff..]} (may be the same array).
     */
    public static void xor(byte[] key, byte[] nonce, int counter,
                           byte[] in, int inOff, byte[] out, int outOff, int length) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("ChaCha20 key must be 32 bytes");
        }
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("ChaCha20 nonce must be 12 bytes");
        }
        if (length == 0) {
            return;
        }
        Cipher c = CIPHER.get();
        try {
            // DECRYPT_MODE: identical keystream XOR, and the JDK only refuses key/nonce reuse in ENCRYPT_MODE
            // (reuse is legitimate here: Lioness and Sphinx derive fresh keys per use).
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, counter));
            int n = c.doFinal(in, inOff, length, out, outOff);
            if (n != length) {
                throw new IllegalStateException("ChaCha20 produced " + n + " bytes, expected " + length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed", e);
        }
    }

    /** XORs the keystream (zero nonce, counter 0) into {@code buf[off..off+length)} in place. */
    public static void xorInPlace(byte[] key, byte[] buf, int off, int length) {
        xor(key, ZERO_NONCE, 0, buf, off, buf, off, length);
    }

    /** {@code length} bytes of keystream for (key, nonce, counter). */
    public static byte[] keystream(byte[] key, byte[] nonce, int counter, int length) {
        byte[] out = new byte[length];
        xor(key, nonce, counter, out, 0, out, 0, length);
        return out;
    }
}
