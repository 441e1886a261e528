package org.aivillage.vault;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.crypto.ConstantTime;

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
     * A passphrase stretched with Argon2id; the salt and cost parameters are stored in the vault
     * (and in every backup manifest), chosen when the vault is created.
     */
    record Passphrase(char[] passphrase, Argon2Cost cost) implements MasterKeySource {
        public Passphrase {
            if (passphrase == null || passphrase.length == 0) {
                throw new IllegalArgumentException("the vault passphrase must not be empty");
            }
            Objects.requireNonNull(cost, "cost");
            passphrase = passphrase.clone();
        }

        public Passphrase(char[] passphrase) {
            this(passphrase, Argon2Cost.DEFAULT);
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
            return "Passphrase[<redacted>, " + cost + "]";
        }
    }

    /**
     * Argon2id cost for a new vault (an existing vault keeps the cost stored in it). The default
     * is RFC 9106 §4's second recommended option: 64 MiB of memory, 3 passes, 4 lanes.
     */
    record Argon2Cost(int memoryKiB, int iterations, int parallelism) {
        public static final Argon2Cost DEFAULT = new Argon2Cost(64 * 1024, 3, 4);

        public Argon2Cost {
            if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1 || parallelism > 64) {
                throw new IllegalArgumentException("invalid Argon2id cost " + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism);
            }
        }
    }
}
