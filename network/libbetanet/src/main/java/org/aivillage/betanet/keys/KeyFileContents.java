package org.aivillage.betanet.keys;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a key file says, before any decryption: the key type, the public key (always in clear, so
 * {@code village keys show} needs no passphrase) and the private key, either in clear or protected.
 */
public record KeyFileContents(KeyType type, byte[] publicKey, Protection protection) {
    public KeyFileContents {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** How the private key is stored. */
    public sealed interface Protection permits Plain, Encrypted {}

    /** The 32-byte private key in clear (the file's 0600 mode is its only protection). */
    public record Plain(byte[] privateKey) implements Protection {
        public Plain {
            privateKey = privateKey.clone();
        }

        @Override
        public byte[] privateKey() {
            return privateKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plain p && Arrays.equals(privateKey, p.privateKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(privateKey);
        }

        @Override
        public String toString() {
            return "Plain[private key hidden]";
        }
    }

    /**
     * The private key sealed with XChaCha20-Poly1305 under Argon2id(passphrase, salt); the
     * associated data binds the type, the public key and the KDF parameters (see {@link KeyFileFormat}).
     */
    public record Encrypted(Argon2Parameters kdf, byte[] salt, byte[] nonce, byte[] ciphertext) implements Protection {
        public Encrypted {
            salt = salt.clone();
            nonce = nonce.clone();
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encrypted e && kdf.equals(e.kdf) && Arrays.equals(salt, e.salt)
                    && Arrays.equals(nonce, e.nonce) && Arrays.equals(ciphertext, e.ciphertext);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ciphertext);
        }

        @Override
        public String toString() {
            return "Encrypted[" + kdf + "]";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFileContents k && type == k.type && Arrays.equals(publicKey, k.publicKey)
                && protection.equals(k.protection);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "KeyFileContents[" + type.fileName() + ", public=" + HexFormat.of().formatHex(publicKey) + ", "
                + protection + "]";
    }
}
