package org.aivillage.betanet.crypto;

import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM-768 (FIPS 203). The private key is kept in its 64-byte seed form (d || z); the public
 * (encapsulation) key is 1,184 bytes, the ciphertext 1,088 bytes, the shared secret 32 bytes.
 */
public final class MlKem768 {
    public static final int SEED_LENGTH = 64;
    public static final int PUBLIC_KEY_LENGTH = 1184;
    public static final int CIPHERTEXT_LENGTH = 1088;
    public static final int SHARED_SECRET_LENGTH = 32;

    private static final MLKEMParameters PARAMS = MLKEMParameters.ml_kem_768;

    private MlKem768() {}

    /** The result of an encapsulation: the ciphertext to send and the shared secret to keep. */
    public record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {
        @Override
        public String toString() {
            return "Encapsulation[ciphertext=" + ciphertext.length + " bytes]";
        }
    }

    /** A fresh key pair: private = 64-byte seed, public = 1,184-byte encapsulation key. */
    public static KeyPair generateKeyPair() {
        byte[] seed = Randomness.bytes(SEED_LENGTH);
        try {
            return fromSeed(seed);
        } finally {
            ConstantTime.wipe(seed);
        }
    }

    /** The key pair deterministically derived from a 64-byte seed (d || z), per FIPS 203 ML-KEM.KeyGen_internal. */
    public static KeyPair fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("ML-KEM-768 seed must be 64 bytes");
        }
        MLKEMPrivateKeyParameters priv = new MLKEMPrivateKeyParameters(PARAMS, seed);
        return new KeyPair(seed, priv.getPublicKey());
    }

    /** Encapsulates to a public key with fresh randomness. */
    public static Encapsulation encapsulate(byte[] publicKey) throws CryptoException {
        MLKEMPublicKeyParameters pub = parsePublic(publicKey);
        SecretWithEncapsulation s = new MLKEMGenerator(Randomness.secureRandom()).generateEncapsulated(pub);
        return new Encapsulation(s.getEncapsulation(), s.getSecret());
    }

    /** Deterministic encapsulation with the 32-byte message m (for known-answer tests only). */
    public static Encapsulation encapsulate(byte[] publicKey, byte[] m) throws CryptoException {
        if (m == null || m.length != 32) {
            throw new IllegalArgumentException("ML-KEM-768 encapsulation randomness must be 32 bytes");
        }
        MLKEMPublicKeyParameters pub = parsePublic(publicKey);
        SecretWithEncapsulation s = MLKEMGenerator.internalGenerateEncapsulated(pub, m);
        return new Encapsulation(s.getEncapsulation(), s.getSecret());
    }

    /**
     * Decapsulates a ciphertext with the 64-byte seed private key. ML-KEM decapsulation never fails
     * on a well-sized ciphertext (implicit rejection returns a pseudo-random secret).
     *
     * @throws CryptoException if the private seed is not 64 bytes or the ciphertext not 1,088 bytes
     *     (malformed input from a peer or a key file is a refusal, never a crash)
     */
    public static byte[] decapsulate(byte[] privateSeed, byte[] ciphertext) throws CryptoException {
        if (privateSeed == null || privateSeed.length != SEED_LENGTH) {
            throw new CryptoException("ML-KEM-768 private seed must be " + SEED_LENGTH + " bytes");
        }
        if (ciphertext == null || ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new CryptoException("ML-KEM-768 ciphertext must be " + CIPHERTEXT_LENGTH + " bytes");
        }
        MLKEMPrivateKeyParameters priv = new MLKEMPrivateKeyParameters(PARAMS, privateSeed);
        return new MLKEMExtractor(priv).extractSecret(ciphertext);
    }

    private static MLKEMPublicKeyParameters parsePublic(byte[] publicKey) throws CryptoException {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new CryptoException("ML-KEM-768 public key must be " + PUBLIC_KEY_LENGTH + " bytes");
        }
        try {
            return new MLKEMPublicKeyParameters(PARAMS, publicKey);
        } catch (RuntimeException e) {
            throw new CryptoException("ML-KEM-768 public key is malformed (FIPS 203 modulus check)", e);
        }
    }
}
