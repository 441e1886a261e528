package org.aivillage.betanet.mixnode.internal;

import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;

/**
 * HKDF-SHA256 (RFC 5869) for Sphinx key derivation: the facade's {@link Hkdf}, which keys one
 * pooled JDK HMAC once per extract and once per expand (the per-packet cost matters here).
 */
public final class Kdf {
    private Kdf() {}

    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        return Hkdf.sha256(ikm, salt, info, length);
    }

    public static byte[] expand(byte[] prk, byte[] info, int length) {
        return Hkdf.expand(Hashes.Algorithm.SHA256, prk, info, length);
    }
}
