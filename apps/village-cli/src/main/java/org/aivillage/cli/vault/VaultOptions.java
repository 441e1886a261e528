package org.aivillage.cli.vault;

import java.nio.file.Path;
import java.util.HexFormat;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.VaultConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Where the vault is and where its master key comes from (shared by every vault command). */
final class VaultOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--vault", paramLabel = "DIR", defaultValue = "${env:AIVILLAGE_VAULT_DIR:-twin-vault}",
            description = "Vault directory (default: $AIVILLAGE_VAULT_DIR or ./twin-vault).")
    Path dir;

    @Option(names = "--key-file", paramLabel = "FILE", defaultValue = "${env:AIVILLAGE_VAULT_KEY_FILE}",
            description = "Master key file: 64 hex digits or 32 bytes (default: $AIVILLAGE_VAULT_KEY_FILE). Create one with `village vault keygen`.")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR",
            description = "Name of an environment variable holding the master key as 64 hex digits.")
    String keyEnv;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "Name of an environment variable holding the vault passphrase (Argon2id).")
    String passphraseEnv;

    @Option(names = "--no-compression", description = "Do not compress twin data before encrypting it.")
    boolean noCompression;

    @Option(names = "--no-backups", description = "Refuse to write backups (backup_enabled = false).")
    boolean noBackups;

    MasterKeySource keySource() {
        int given = (keyFile != null ? 1 : 0) + (keyEnv != null ? 1 : 0) + (passphraseEnv != null ? 1 : 0);
        if (given != 1) {
            throw new ParameterException(spec.commandLine(),
                    "give exactly one of --key-file, --key-env, --passphrase-env (or set AIVILLAGE_VAULT_KEY_FILE)");
        }
        if (keyFile != null) {
            return new MasterKeySource.KeyFile(keyFile);
        }
        if (keyEnv != null) {
            String hex = System.getenv(keyEnv);
            if (hex == null || hex.strip().length() != 64) {
                throw new ParameterException(spec.commandLine(), "environment variable " + keyEnv + " must hold 64 hex digits");
            }
            try {
                return new MasterKeySource.RawKey(HexFormat.of().parseHex(hex.strip()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "environment variable " + keyEnv + " must hold 64 hex digits");
            }
        }
        String pass = System.getenv(passphraseEnv);
        if (pass == null || pass.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "environment variable " + passphraseEnv + " is empty or unset");
        }
        return new MasterKeySource.Passphrase(pass.toCharArray());
    }

    VaultConfig config() {
        return new VaultConfig(dir, keySource(), !noBackups, !noCompression);
    }

    TwinVault open() {
        return TwinVault.open(config());
    }
}
