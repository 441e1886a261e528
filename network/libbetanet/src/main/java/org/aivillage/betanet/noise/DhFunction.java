package org.aivillage.betanet.noise;

import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.KeyPair;

/** The DH functions of the Noise spec (§12.1) that this implementation supports. */
public enum DhFunction {
    /** Curve25519 (RFC 7748), DHLEN = 32; an all-zero result (low-order peer key) is refused. */
    X25519("25519", 32);

    private final String spec;
    private final int dhLen;

    DhFunction(String spec, int dhLen) {
        this.spec = spec;
        this.dhLen = dhLen;
    }

    public String specName() {
        return spec;
    }

    /** DHLEN: the length of public keys and DH outputs. */
    public int dhLen() {
        return dhLen;
    }

    public KeyPair generateKeyPair() {
        return org.aivillage.betanet.crypto.X25519.generateKeyPair();
    }

    /** The key pair of a given private key (for fixed test keys and loaded key files). */
    public KeyPair keyPair(byte[] privateKey) {
        return new KeyPair(privateKey, org.aivillage.betanet.crypto.X25519.publicKey(privateKey));
    }

    /** DH(private, public). */
    public byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        try {
            return org.aivillage.betanet.crypto.X25519.sharedSecret(privateKey, publicKey);
        } catch (CryptoException e) {
            throw new NoiseException("DH failed: " + e.getMessage(), e);
        }
    }

    static DhFunction fromSpec(String name) {
        for (DhFunction d : values()) {
            if (d.spec.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported Noise DH function '" + name + "' (supported: 25519)");
    }

    static {
        // The facade's X25519 is the implementation; keep its key length and DHLEN in step.
        if (org.aivillage.betanet.crypto.X25519.KEY_LENGTH != 32) {
            throw new AssertionError();
        }
    }
}
