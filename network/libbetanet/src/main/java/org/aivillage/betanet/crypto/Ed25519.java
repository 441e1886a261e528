package org.aivillage.betanet.crypto;

/** Ed25519 signatures (RFC 8032, pure) on raw keys: 32-byte private seed, 32-byte public key, 64-byte signature. */
public final class Ed25519 {
    public static final int KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private Ed25519() {}

    public static KeyPair generateKeyPair() {
        byte[] seed = Randomness.bytes(KEY_LENGTH);
        KeyPair kp = new KeyPair(seed, publicKey(seed));
        ConstantTime.wipe(seed);
        return kp;
    }

    public static byte[] publicKey(byte[] privateKey) {
        requireLength(privateKey, KEY_LENGTH, "private key");
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    public static byte[] sign(byte[] privateKey, byte[] message) {
        requireLength(privateKey, KEY_LENGTH, "private key");
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /**
     * Verifies a signature. Returns false (never throws) for a malformed key or signature, a
     * non-canonical encoding, or a wrong signature.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_LENGTH
                || signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
            return false;
        }
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void requireLength(byte[] key, int len, String what) {
        if (key == null || key.length != len) {
            throw new IllegalArgumentException("Ed25519 " + what + " must be " + len + " bytes, was "
                    + (key == null ? "null" : key.length));
        }
    }
}
