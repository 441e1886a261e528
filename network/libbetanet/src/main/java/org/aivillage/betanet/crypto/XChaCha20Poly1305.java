package org.aivillage.betanet.crypto;

import java.util.Arrays;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): subkey = HChaCha20(key, nonce[0..16)), then
 * ChaCha20-Poly1305 with nonce 0x00000000 || nonce[16..24). Verified against Wycheproof.
 */
final class XChaCha20Poly1305 implements Aead {
    private final byte[] key;
    private boolean destroyed;

    XChaCha20Poly1305(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 key must be 32 bytes");
        }
        this.key = key.clone();
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.XCHACHA20_POLY1305;
    }

    private Aead inner(byte[] nonce, byte[] innerNonce) {
        if (destroyed) {
            throw new IllegalStateException("AEAD key was destroyed");
        }
        if (nonce == null || nonce.length != 24) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 nonce must be 24 bytes");
        }
        byte[] subkey = hChaCha20(key, nonce);
        System.arraycopy(nonce, 16, innerNonce, 4, 8);
        Aead aead = Aead.chaCha20Poly1305(subkey);
        ConstantTime.wipe(subkey);
        return aead;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        byte[] n = new byte[12];
        Aead aead = inner(nonce, n);
        try {
            return aead.seal(n, aad, in, inOff, inLen, out, outOff);
        } finally {
            aead.destroy();
        }
    }

    @Override
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AuthenticationFailedException {
        byte[] n = new byte[12];
        Aead aead = inner(nonce, n);
        try {
            return aead.open(n, aad, in, inOff, inLen, out, outOff);
        } finally {
            aead.destroy();
        }
    }

    /** HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): 20 ChaCha rounds, output words 0..3 and 12..15. */
    static byte[] hChaCha20(byte[] key, byte[] nonce16) {
        int[] s = new int[16];
        s[0] = 0x61707865;
        s[1] = 0x3320646e;
        s[2] = 0x79622d32;
        s[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) {
            s[4 + i] = le32(key, i * 4);
        }
        for (int i = 0; i < 4; i++) {
            s[12 + i] = le32(nonce16, i * 4);
        }
        for (int round = 0; round < 10; round++) {
            quarter(s, 0, 4, 8, 12);
            quarter(s, 1, 5, 9, 13);
            quarter(s, 2, 6, 10, 14);
            quarter(s, 3, 7, 11, 15);
            quarter(s, 0, 5, 10, 15);
            quarter(s, 1, 6, 11, 12);
            quarter(s, 2, 7, 8, 13);
            quarter(s, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            putLe32(out, i * 4, s[i]);
            putLe32(out, 16 + i * 4, s[12 + i]);
        }
        Arrays.fill(s, 0);
        return out;
    }

    private static void quarter(int[] s, int a, int b, int c, int d) {
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    @Override
    public void destroy() {
        ConstantTime.wipe(key);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
