package org.aivillage.vault;

import java.nio.file.Path;
import java.util.Objects;
import org.aivillage.betanet.crypto.Aead;

/**
 * How to open a vault: the directory holding it ({@code vault.db} and {@code backups/}), where the
 * master key comes from, whether {@link TwinVault#createBackup()} is allowed, and whether twin
 * data is compressed (DEFLATE) before it is encrypted. {@code cipher} is the AEAD for new records
 * (XChaCha20-Poly1305 by default, or AES-256-GCM); records name their cipher, so both stay readable.
 */
public record VaultConfig(Path storagePath, MasterKeySource masterKey, boolean backupEnabled, boolean compression, Aead.Algorithm cipher) {
    public VaultConfig {
        Objects.requireNonNull(storagePath, "storagePath");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(cipher, "cipher");
        if (cipher == Aead.Algorithm.CHACHA20_POLY1305) {
            throw new IllegalArgumentException("the vault needs random nonces: use XCHACHA20_POLY1305 or AES_256_GCM");
        }
    }

    /** The seed's four settings, with XChaCha20-Poly1305 records. */
    public VaultConfig(Path storagePath, MasterKeySource masterKey, boolean backupEnabled, boolean compression) {
        this(storagePath, masterKey, backupEnabled, compression, Aead.Algorithm.XCHACHA20_POLY1305);
    }

    public VaultConfig withMasterKey(MasterKeySource key) {
        return new VaultConfig(storagePath, key, backupEnabled, compression, cipher);
    }

    public VaultConfig withCipher(Aead.Algorithm c) {
        return new VaultConfig(storagePath, masterKey, backupEnabled, compression, c);
    }

    /** The database file inside {@link #storagePath()}. */
    public Path databaseFile() {
        return storagePath.resolve("vault.db");
    }

    /** Where {@link TwinVault#createBackup()} writes. */
    public Path backupDirectory() {
        return storagePath.resolve("backups");
    }
}
