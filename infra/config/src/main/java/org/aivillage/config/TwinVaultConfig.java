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
        boolean compression) {
}
