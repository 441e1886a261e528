package org.aivillage.config;

import java.nio.file.Path;
import java.util.Optional;

/** {@code [storage.twin_vault]}: the encrypted store of digital twins. */
@Section(value = "storage.twin_vault", doc = "Twin vault: encrypted, versioned store of digital twins.")
public record TwinVaultConfig(
        @Key(doc = "Directory of the vault database; unset = <global.data_dir>/twin-vault.")
        Optional<Path> storagePath,

        @Key(doc = "Vault key as 64 hex digits (secret; prefer key_file or passphrase).")
        Optional<Secret> encryptionKey,

        @Key(doc = "File holding the vault key (mode 0600).")
        Optional<Path> keyFile,

        @Key(doc = "Passphrase the vault key is derived from (secret).")
        Optional<Secret> passphrase,

        @Key(doc = "Write encrypted backups of the vault.", def = "true")
        boolean backupEnabled,

        @Key(doc = "Compress records before encrypting them.", def = "true")
        boolean compression,

        @Key(doc = "AEAD for new records: auto (AES-256-GCM for records of 4 KiB and more on CPUs with AES instructions,"
                + " XChaCha20-Poly1305 otherwise), aes_256_gcm or xchacha20_poly1305. Existing records stay readable whatever is chosen.",
                def = "auto")
        Cipher cipher) {

    /** The AEAD sealing new twin records. */
    public enum Cipher { AUTO, AES_256_GCM, XCHACHA20_POLY1305 }
}
