package org.aivillage.betanet.crypto;

import javax.security.auth.Destroyable;

/**
 * An AEAD bound to one key: ChaCha20-Poly1305 (RFC 8439), XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha) or AES-256-GCM. Ciphertext = encrypted plaintext || 16-byte tag.
 *
 * <p>Instances are not thread-safe: use one per direction of a connection. The caller owns nonce
 * uniqueness; {@link #destroy()} wipes the key.
 */
public sealed interface Aead extends Destroyable permits ChaCha20Poly1305Aead, JdkAead, XChaCha20Poly1305 {
    int KEY_LENGTH = 32;
    int TAG_LENGTH = 16;

    /** The AEAD algorithms of the facade. */
    enum Algorithm {
        CHACHA20_POLY1305(12),
        XCHACHA20_POLY1305(24),
        AES_256_GCM(12);

        private final int nonceLength;

        Algorithm(int nonceLength) {
            this.nonceLength = nonceLength;
        }

        public int nonceLength() {
            return nonceLength;
        }

        /** A new AEAD instance keyed with a copy of {@code key} (32 bytes). */
        public Aead withKey(byte[] key) {
            return switch (this) {
                case CHACHA20_POLY1305 -> new ChaCha20Poly1305Aead(key);
                case AES_256_GCM -> new JdkAead(this, key);
                case XCHACHA20_POLY1305 -> new XChaCha20Poly1305(key);
            };
        }
    }

    static Aead chaCha20Poly1305(byte[] key) {
        return Algorithm.CHACHA20_POLY1305.withKey(key);
    }

    static Aead xChaCha20Poly1305(byte[] key) {
        return Algorithm.XCHACHA20_POLY1305.withKey(key);
    }

    static Aead aes256Gcm(byte[] key) {
        return Algorithm.AES_256_GCM.withKey(key);
    }

    Algorithm algorithm();

    /** Wipes the key; later calls fail with IllegalStateException. */
    @Override
    void destroy();

    default int nonceLength() {
        return algorithm().nonceLength();
    }

    /** Encrypts {@code plaintext}; returns ciphertext || tag. */
    default byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        seal(nonce, aad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** Encrypts {@code in[inOff, inOff+inLen)} into {@code out} at {@code outOff}; returns bytes written (inLen + 16). */
    int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff);

    /** Decrypts and verifies ciphertext || tag; returns the plaintext. */
    default byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) throws AuthenticationFailedException {
        if (ciphertext.length < TAG_LENGTH) {
            throw new AuthenticationFailedException("AEAD: ciphertext shorter than the 16-byte tag");
        }
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        open(nonce, aad, ciphertext, 0, ciphertext.length, out, 0);
        return out;
    }

    /**
     * Decrypts and verifies {@code in[inOff, inOff+inLen)} (ciphertext || tag) into {@code out};
     * returns plaintext bytes written. On failure nothing of the plaintext is left in {@code out}.
     */
    int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AuthenticationFailedException;
}
