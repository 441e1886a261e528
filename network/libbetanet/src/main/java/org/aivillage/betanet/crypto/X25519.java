package org.aivillage.betanet.crypto;

/**
 * X25519 Diffie-Hellman (RFC 7748) on raw 32-byte keys. Implementation, by the JMH comparison in
 * docs/benchmarks.md: the shared secret runs on the system's libsodium when the JVM allows native
 * access and the library is there (about 2.8x faster than BouncyCastle), otherwise on BouncyCastle's
 * constant-time field arithmetic (faster than the JDK's XDH); key generation runs on BouncyCastle's
 * fixed-base comb (as fast as libsodium's). {@link #implementation()} says which is in use.
 */
public final class X25519 {
    public static final int KEY_LENGTH = 32;

    private X25519() {}

    public static KeyPair generateKeyPair() {
        byte[] priv = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(Randomness.secureRandom(), priv);
        byte[] pub = publicKey(priv);
        KeyPair kp = new KeyPair(priv, pub);
        ConstantTime.wipe(priv);
        return kp;
    }

    /** The public key of a 32-byte private scalar (clamping is applied per RFC 7748). */
    public static byte[] publicKey(byte[] privateKey) {
        requireLength(privateKey, "private key");
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * The shared secret X25519(priv, pub).
     *
     * @throws CryptoException if the result is all zeros (a low-order public key), per RFC 7748 §6.1
     */
    public static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) throws CryptoException {
        requireLength(privateKey, "private key");
        requireLength(publicKey, "public key");
        byte[] out = new byte[KEY_LENGTH];
        boolean ok = Sodium.AVAILABLE
                ? Sodium.scalarMult(privateKey, publicKey, out) && !ConstantTime.isZero(out)
                : org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
        if (!ok) {
            throw new CryptoException("X25519: low-order public key (all-zero shared secret)");
        }
        return out;
    }

    /** The shared secret computed by BouncyCastle whatever {@link #implementation()} is (for tests and benchmarks). */
    static byte[] sharedSecretBouncyCastle(byte[] privateKey, byte[] publicKey) throws CryptoException {
        requireLength(privateKey, "private key");
        requireLength(publicKey, "public key");
        byte[] out = new byte[KEY_LENGTH];
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new CryptoException("X25519: low-order public key (all-zero shared secret)");
        }
        return out;
    }

    /** Which implementation computes shared secrets in this JVM ("libsodium (...)" or "bouncycastle"). */
    public static String implementation() {
        return Sodium.DESCRIPTION;
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 " + what + " must be 32 bytes, was "
                    + (key == null ? "null" : key.length));
        }
    }
}
