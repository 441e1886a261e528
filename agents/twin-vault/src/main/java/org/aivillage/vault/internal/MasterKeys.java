package org.aivillage.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.Arrays;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.VaultException;
import org.aivillage.vault.WrongKeyException;

/**
 * The top of the key hierarchy: master key (from a key file, a raw config key, or Argon2id of a
 * passphrase with the vault's stored salt and costs) → key-encryption key KEK = HKDF-SHA256(master, salt = vault id,
 * info = "aivillage twin-vault kek v1") → wraps each twin's data key and the device signing key.
 */
public final class MasterKeys {
    private static final byte[] KEK_INFO = "aivillage twin-vault kek v1".getBytes(StandardCharsets.US_ASCII);

    private MasterKeys() {}

    /**
     * The 32-byte master key. For a passphrase, {@code kdf} is the vault's stored Argon2id salt
     * and costs (null means the vault was not created with a passphrase).
     */
    public static byte[] master(MasterKeySource src, PassphraseKdf kdf) {
        return switch (src) {
            case MasterKeySource.RawKey r -> r.key();
            case MasterKeySource.KeyFile f -> readKeyFile(f);
            case MasterKeySource.Passphrase p -> {
                if (kdf == null) {
                    throw new WrongKeyException("this vault was not created with a passphrase; open it with its key");
                }
                char[] pass = p.passphrase();
                try {
                    yield kdf.masterKey(pass);
                } finally {
                    Arrays.fill(pass, '\0');
                }
            }
        };
    }

    /** Fresh Argon2id salt and the source's costs when {@code src} is a passphrase, else null. */
    public static PassphraseKdf freshKdf(MasterKeySource src) {
        return src instanceof MasterKeySource.Passphrase p ? PassphraseKdf.fresh(p.kdf()) : null;
    }

    private static byte[] readKeyFile(MasterKeySource.KeyFile f) {
        byte[] content;
        try {
            content = Files.readAllBytes(f.path());
        } catch (IOException e) {
            throw new VaultException("cannot read key file " + f.path() + ": " + e.getClass().getSimpleName());
        }
        try {
            if (content.length == 32) {
                return content.clone();
            }
            String text = new String(content, StandardCharsets.US_ASCII).strip();
            if (text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            throw new VaultException("key file " + f.path() + " must hold 32 raw bytes or 64 hex digits");
        } finally {
            Sealer.wipe(content);
        }
    }

    public static byte[] kek(byte[] master, byte[] vaultId) {
        return Hkdf.sha256(master, vaultId, KEK_INFO, 32);
    }
}
