package org.aivillage.vault;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.keys.Argon2Parameters;

/**
 * Where the vault master key comes from. The master key never encrypts data itself: the vault
 * derives its key-encryption key from it (HKDF-SHA256, salted with the vault id), and that key
 * wraps the per-twin data keys.
 */
public sealed interface MasterKeySource {

    /** A 32-byte key given directly (e.g. {@code encryption_key} in the config, 64 hex digits). */
    record RawKey(byte[] key) implements MasterKeySource {
        public RawKey {
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("a vault master key must be 32 bytes");
            }
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawKey r && ConstantTime.equals(key, r.key);
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Override
        public String toString() {
            return "RawKey[<redacted>]";
        }
    }

    /**
     * A file holding the 32-byte key, either as 32 raw bytes or as 64 hex digits (surrounding
     * whitespace ignored). Create one with {@link TwinVault#writeKeyFile(Path)}.
     */
    record KeyFile(Path path) implements MasterKeySource {
        public KeyFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A passphrase. The vault's master key is then 32 random bytes kept in the vault (and in every
     * backup manifest) as a libbetanet passphrase-protected key file: Argon2id with its salt and
     * cost ({@code kdf}, used when the vault is created or rotated) and XChaCha20-Poly1305.
     * Changing the passphrase is {@link TwinVault#rotateMasterKey} with the new one.
     */
    record Passphrase(char[] passphrase, Argon2Parameters kdf) implements MasterKeySource {
        public Passphrase {
            if (passphrase == null || passphrase.length == 0) {
                throw new IllegalArgumentException("the vault passphrase must not be empty");
            }
            Objects.requireNonNull(kdf, "kdf");
            passphrase = passphrase.clone();
        }

        /** A passphrase with RFC 9106's second recommended Argon2id cost (64 MiB, 3 passes, 4 lanes). */
        public Passphrase(char[] passphrase) {
            this(passphrase, Argon2Parameters.DEFAULT);
        }

        @Override
        public char[] passphrase() {
            return passphrase.clone();
        }

        /** Wipes this copy of the passphrase. */
        public void destroy() {
            Arrays.fill(passphrase, '\0');
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "Passphrase[<redacted>, " + kdf + "]";
        }
    }
}
