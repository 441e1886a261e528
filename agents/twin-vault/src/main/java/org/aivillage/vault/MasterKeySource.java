package org.aivillage.vault;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Argon2id;

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
     * A passphrase. The master key is Argon2id(passphrase, salt, costs) (RFC 9106); the salt and
     * costs are stored with the vault ({@code meta.passphrase_kdf}) and in every backup manifest,
     * so the passphrase alone opens the vault or restores a backup. {@code kdf} is the cost used
     * when the vault is created or rotated to this passphrase; opening uses the stored one. A
     * wrong passphrase is {@link WrongKeyException}. Changing the passphrase is
     * {@link TwinVault#rotateMasterKey} with the new one (fresh salt, data keys re-wrapped).
     */
    record Passphrase(char[] passphrase, Argon2id.Parameters kdf) implements MasterKeySource {
        /** Upper bounds of stored costs (a vault refuses to open with more): 1 GiB, 64 passes, 16 lanes. */
        public static final int MAX_MEMORY_KIB = 1 << 20;
        public static final int MAX_ITERATIONS = 64;
        public static final int MAX_PARALLELISM = 16;

        public Passphrase {
            if (passphrase == null || passphrase.length == 0) {
                throw new IllegalArgumentException("the vault passphrase must not be empty");
            }
            Objects.requireNonNull(kdf, "kdf");
            kdf.requireAtMost(MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_PARALLELISM);
            passphrase = passphrase.clone();
        }

        /** A passphrase with RFC 9106's second recommended Argon2id cost (64 MiB, 3 passes, 4 lanes). */
        public Passphrase(char[] passphrase) {
            this(passphrase, Argon2id.Parameters.DEFAULT);
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
