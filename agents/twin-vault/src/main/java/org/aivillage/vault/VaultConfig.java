package org.aivillage.vault;

import java.nio.file.Path;
import java.util.Objects;
import org.aivillage.config.TwinVaultConfig;
import org.aivillage.config.VillageConfig;

/**
 * How to open a vault: the directory holding it ({@code vault.db} and {@code backups/}), where the
 * master key comes from, whether {@link TwinVault#createBackup()} is allowed, and whether twin
 * data is compressed (DEFLATE) before it is encrypted. {@code cipher} chooses the AEAD of new
 * records ({@link RecordCipher#AUTO} by default); records name their cipher, so all stay readable
 * whatever is configured later.
 */
public record VaultConfig(Path storagePath, MasterKeySource masterKey, boolean backupEnabled, boolean compression, RecordCipher cipher) {
    public VaultConfig {
        Objects.requireNonNull(storagePath, "storagePath");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(cipher, "cipher");
    }

    /** The seed's four settings, with records sealed by {@link RecordCipher#AUTO}. */
    public VaultConfig(Path storagePath, MasterKeySource masterKey, boolean backupEnabled, boolean compression) {
        this(storagePath, masterKey, backupEnabled, compression, RecordCipher.AUTO);
    }

    /** The cipher a {@code [storage.twin_vault] cipher} setting names. */
    public static RecordCipher cipherOf(TwinVaultConfig.Cipher c) {
        return RecordCipher.valueOf(c.name());
    }

    /**
     * The vault as {@code [storage.twin_vault]} describes it: {@code storage_path} (default
     * {@code <global.data_dir>/twin-vault}), exactly one of {@code encryption_key} (64 hex digits),
     * {@code key_file} or {@code passphrase}, {@code backup_enabled}, {@code compression}, {@code cipher}.
     *
     * @throws IllegalArgumentException when none or several key settings are given, or the key is malformed
     */
    public static VaultConfig from(VillageConfig config) {
        TwinVaultConfig tv = config.twinVault();
        int keys = (tv.encryptionKey().isPresent() ? 1 : 0) + (tv.keyFile().isPresent() ? 1 : 0) + (tv.passphrase().isPresent() ? 1 : 0);
        if (keys != 1) {
            throw new IllegalArgumentException("[storage.twin_vault] needs exactly one of encryption_key, key_file, passphrase (found "
                    + keys + ")");
        }
        MasterKeySource source;
        if (tv.keyFile().isPresent()) {
            source = new MasterKeySource.KeyFile(tv.keyFile().get());
        } else if (tv.encryptionKey().isPresent()) {
            byte[] text = tv.encryptionKey().get().revealBytes();
            try {
                String hex = new String(text, java.nio.charset.StandardCharsets.US_ASCII).strip();
                if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw new IllegalArgumentException("[storage.twin_vault] encryption_key must be 64 hex digits");
                }
                byte[] key = java.util.HexFormat.of().parseHex(hex);
                source = new MasterKeySource.RawKey(key);
                java.util.Arrays.fill(key, (byte) 0);
            } finally {
                java.util.Arrays.fill(text, (byte) 0);
            }
        } else {
            byte[] utf8 = tv.passphrase().get().revealBytes();
            java.nio.CharBuffer chars = java.nio.charset.StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(utf8));
            char[] pass = new char[chars.remaining()];
            chars.get(pass);
            java.util.Arrays.fill(utf8, (byte) 0);
            java.util.Arrays.fill(chars.array(), '\0');
            source = new MasterKeySource.Passphrase(pass);
            java.util.Arrays.fill(pass, '\0');
        }
        return new VaultConfig(config.twinVaultStoragePath(), source, tv.backupEnabled(), tv.compression(), cipherOf(tv.cipher()));
    }

    public VaultConfig withMasterKey(MasterKeySource key) {
        return new VaultConfig(storagePath, key, backupEnabled, compression, cipher);
    }

    public VaultConfig withCipher(RecordCipher c) {
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
