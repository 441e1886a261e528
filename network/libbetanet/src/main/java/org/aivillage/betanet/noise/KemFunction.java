package org.aivillage.betanet.noise;

import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.MlKem768;

/**
 * The KEMs usable with the hfs modifier (Noise HFS extension draft). The protocol name carries the
 * KEM after the DH function: {@code Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256}.
 */
public enum KemFunction {
    /** ML-KEM-768 (FIPS 203): public key 1,184 bytes, ciphertext 1,088 bytes, secret 32 bytes. */
    MLKEM768("MLKEM768", MlKem768.PUBLIC_KEY_LENGTH, MlKem768.CIPHERTEXT_LENGTH);

    private final String spec;
    private final int publicKeyLength;
    private final int ciphertextLength;

    KemFunction(String spec, int publicKeyLength, int ciphertextLength) {
        this.spec = spec;
        this.publicKeyLength = publicKeyLength;
        this.ciphertextLength = ciphertextLength;
    }

    public String specName() {
        return spec;
    }

    public int publicKeyLength() {
        return publicKeyLength;
    }

    public int ciphertextLength() {
        return ciphertextLength;
    }

    /** A fresh KEM key pair: private = 64-byte seed, public = encapsulation key. */
    public KeyPair generateKeyPair() {
        return MlKem768.generateKeyPair();
    }

    /** Encapsulates to {@code publicKey}: the ciphertext to send and the secret to mix. */
    public MlKem768.Encapsulation encapsulate(byte[] publicKey) throws NoiseException {
        try {
            return MlKem768.encapsulate(publicKey);
        } catch (CryptoException e) {
            throw new NoiseException("KEM encapsulation failed: " + e.getMessage(), e);
        }
    }

    public byte[] decapsulate(byte[] privateKey, byte[] ciphertext) throws NoiseException {
        try {
            return MlKem768.decapsulate(privateKey, ciphertext);
        } catch (CryptoException e) {
            throw new NoiseException("KEM decapsulation failed: " + e.getMessage(), e);
        }
    }

    static KemFunction fromSpec(String name) {
        for (KemFunction k : values()) {
            if (k.spec.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unsupported Noise KEM '" + name + "' (supported: MLKEM768)");
    }
}
