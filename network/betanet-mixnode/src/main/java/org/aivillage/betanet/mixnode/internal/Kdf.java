package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.HmacSha256;

/** HKDF-SHA256 (RFC 5869) on the JDK HMAC fast path; equal to the facade's Hkdf.sha256 (tested). */
public final class Kdf {
    private Kdf() {}

    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = HmacSha256.mac(salt, ikm);
        byte[] out = expand(prk, info, length);
        java.util.Arrays.fill(prk, (byte) 0);
        return out;
    }

    public static byte[] expand(byte[] prk, byte[] info, int length) {
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int pos = 0;
        for (int i = 1; pos < length; i++) {
            t = HmacSha256.mac(prk, t, info, new byte[] {(byte) i});
            int n = Math.min(32, length - pos);
            System.arraycopy(t, 0, out, pos, n);
            pos += n;
        }
        java.util.Arrays.fill(t, (byte) 0);
        return out;
    }
}
