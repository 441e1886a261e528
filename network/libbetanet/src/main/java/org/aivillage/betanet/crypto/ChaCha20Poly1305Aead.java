package org.aivillage.betanet.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 (RFC 8439) that picks the implementation per message size, as measured in
 * docs/benchmarks.md: BouncyCastle's lightweight engine for messages up to
 * {@link #SMALL_MESSAGE} bytes (cheap to key, no provider lookup: Noise handshakes re-key after
 * every DH and seal only short messages), the JDK's intrinsified {@code Cipher} above that
 * (several times faster from 1 KiB). Both produce the same bytes; each engine is created on first use.
 */
final class ChaCha20Poly1305Aead implements Aead {
    /** Messages up to this many bytes (plaintext, or ciphertext without the tag) use BouncyCastle. */
    static final int SMALL_MESSAGE = 128;

    private final byte[] key;
    private ChaCha20Poly1305 small;
    private KeyParameter smallKey;
    private JdkAead large;
    private boolean destroyed;

    ChaCha20Poly1305Aead(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("CHACHA20_POLY1305 key must be 32 bytes");
        }
        this.key = key.clone();
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.CHACHA20_POLY1305;
    }

    private void check(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException("AEAD key was destroyed");
        }
        if (nonce == null || nonce.length != 12) {
            throw new IllegalArgumentException("CHACHA20_POLY1305 nonce must be 12 bytes");
        }
    }

    private JdkAead large() {
        if (large == null) {
            large = new JdkAead(Algorithm.CHACHA20_POLY1305, key);
        }
        return large;
    }

    private ChaCha20Poly1305 small(boolean encrypt, byte[] nonce, byte[] aad) {
        if (small == null) {
            small = new ChaCha20Poly1305();
            smallKey = new KeyParameter(key);
        }
        small.init(encrypt, new AEADParameters(smallKey, TAG_LENGTH * 8, nonce.clone(), aad));
        return small;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        check(nonce);
        if (inLen > SMALL_MESSAGE) {
            return large().seal(nonce, aad, in, inOff, inLen, out, outOff);
        }
        ChaCha20Poly1305 c = small(true, nonce, aad);
        try {
            int n = c.processBytes(in, inOff, inLen, out, outOff);
            return n + c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException | IllegalStateException e) {
            // BouncyCastle refuses to encrypt twice with the same key and nonce, as the JDK does.
            throw new IllegalStateException("CHACHA20_POLY1305 encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AuthenticationFailedException {
        check(nonce);
        if (inLen < TAG_LENGTH) {
            throw new AuthenticationFailedException("CHACHA20_POLY1305: ciphertext shorter than the tag");
        }
        if (inLen - TAG_LENGTH > SMALL_MESSAGE) {
            return large().open(nonce, aad, in, inOff, inLen, out, outOff);
        }
        ChaCha20Poly1305 c = small(false, nonce, aad);
        int n = 0;
        try {
            n = c.processBytes(in, inOff, inLen, out, outOff);
            return n + c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, outOff, Math.min(out.length, outOff + inLen - TAG_LENGTH), (byte) 0);
            throw new AuthenticationFailedException("CHACHA20_POLY1305: authentication tag mismatch");
        }
    }

    @Override
    public void destroy() {
        ConstantTime.wipe(key);
        if (large != null) {
            large.destroy();
        }
        if (smallKey != null) {
            ConstantTime.wipe(smallKey.getKey());
        }
        small = null;
        smallKey = null;
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
