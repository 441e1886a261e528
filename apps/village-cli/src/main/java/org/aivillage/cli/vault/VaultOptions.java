package org.aivillage.cli.vault;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.VaultConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the vault is and where its master key comes from. Command-line options win, then the
 * environment ({@code AIVILLAGE_VAULT_DIR}, {@code AIVILLAGE_VAULT_KEY_FILE}), then
 * {@code [storage.twin_vault]} of the configuration ({@code --config}, {@code VILLAGE_CONFIG},
 * {@code ./village.toml}).
 */
final class VaultOptions {
    static final String ENV_DIR = "AIVILLAGE_VAULT_DIR";
    static final String ENV_KEY_FILE = "AIVILLAGE_VAULT_KEY_FILE";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--vault", paramLabel = "DIR",
            description = "Vault directory (default: $" + ENV_DIR + ", else storage.twin_vault.storage_path, else <data_dir>/twin-vault).")
    Path dir;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Master key file, 64 hex digits or 32 bytes (default: $" + ENV_KEY_FILE + ", else the config). "
                    + "Create one with `village vault keygen`.")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR", description = "Environment variable holding the master key as 64 hex digits.")
    String keyEnv;

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Environment variable holding the vault passphrase (Argon2id).")
    String passphraseEnv;

    @Option(names = "--no-compression", description = "Do not compress twin data before encrypting it.")
    boolean noCompression;

    @Option(names = "--no-backups", description = "Refuse to write backups (backup_enabled = false).")
    boolean noBackups;

    VaultConfig config(ConfigOption configOption) {
        CliSupport.Environment env = CliSupport.environment(spec);
        Map<String, String> vars = env.variables();
        VillageConfig village = configOption.load().config();
        Path storage = dir != null ? env.resolve(dir)
                : vars.get(ENV_DIR) != null ? env.resolve(Path.of(vars.get(ENV_DIR))) : village.twinVaultStoragePath();
        int given = (keyFile != null ? 1 : 0) + (keyEnv != null ? 1 : 0) + (passphraseEnv != null ? 1 : 0);
        if (given > 1) {
            throw new UserException("give only one of --key-file, --key-env, --passphrase-env");
        }
        MasterKeySource key;
        if (keyFile != null) {
            key = new MasterKeySource.KeyFile(env.resolve(keyFile));
        } else if (keyEnv != null) {
            key = rawKeyFrom(keyEnv, vars.get(keyEnv));
        } else if (passphraseEnv != null) {
            String pass = vars.get(passphraseEnv);
            if (pass == null || pass.isEmpty()) {
                throw new UserException("environment variable " + passphraseEnv + " is empty or unset");
            }
            key = new MasterKeySource.Passphrase(pass.toCharArray());
        } else if (vars.get(ENV_KEY_FILE) != null && !vars.get(ENV_KEY_FILE).isEmpty()) {
            key = new MasterKeySource.KeyFile(env.resolve(Path.of(vars.get(ENV_KEY_FILE))));
        } else {
            try {
                key = VaultConfig.from(village).masterKey();
            } catch (IllegalArgumentException e) {
                throw new UserException("no vault key: give --key-file, --key-env or --passphrase-env, set " + ENV_KEY_FILE
                        + ", or set one key in the configuration (" + e.getMessage() + ")");
            }
        }
        boolean backups = village.twinVault().backupEnabled() && !noBackups;
        boolean compression = village.twinVault().compression() && !noCompression;
        return new VaultConfig(storage, key, backups, compression, VaultConfig.cipherOf(village.twinVault().cipher()));
    }

    private static MasterKeySource rawKeyFrom(String var, String hex) {
        String h = hex == null ? "" : hex.strip();
        if (h.length() != 64 || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new UserException("environment variable " + var + " must hold the master key as 64 hex digits");
        }
        return new MasterKeySource.RawKey(HexFormat.of().parseHex(h));
    }

    TwinVault open(ConfigOption configOption) {
        return TwinVault.open(config(configOption));
    }
}
