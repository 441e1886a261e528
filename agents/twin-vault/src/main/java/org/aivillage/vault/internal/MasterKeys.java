package org.aivillage.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.Arrays;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFileFormat;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.VaultException;
import org.aivillage.vault.WrongKeyException;

/**
 * The top of the key hierarchy: master key (from a key file, a raw config key, or a random key
 * kept under a passphrase with Argon2id) → key-encryption key KEK = HKDF-SHA256(master, salt = vault id,
 * info = "aivillage twin-vault kek v1") → wraps each twin's data key and the device signing key.
 */
public final class MasterKeys {
    private static final byte[] KEK_INFO = "aivillage twin-vault kek v1".getBytes(StandardCharsets.US_ASCII);

    private MasterKeys() {}

    /**
     * The 32-byte master key. For a passphrase, {@code protectedKey} is the vault's
     * passphrase-protected key file (null means the vault was not created with a passphrase).
     */
    public static byte[] master(MasterKeySource src, String protectedKey) {
        return switch (src) {
            case MasterKeySource.RawKey r -> r.key();
            case MasterKeySource.KeyFile f -> readKeyFile(f);
            case MasterKeySource.Passphrase p -> {
                if (protectedKey == null) {
                    throw new WrongKeyException("this vault was not created with a passphrase; open it with its key");
                }
                yield unprotect(protectedKey, p);
            }
        };
    }

    /**
     * A new random master key under a passphrase: the text of a libbetanet key file (type x25519,
     * whose 32 random private bytes are the master key), Argon2id + XChaCha20-Poly1305 protected.
     */
    public static String protect(byte[] master, MasterKeySource.Passphrase p) {
        char[] pass = p.passphrase();
        try {
            TypedKeyPair k = new TypedKeyPair(KeyType.X25519, new KeyPair(master, X25519.publicKey(master)));
            String text = KeyFileFormat.format(KeyFiles.protect(k, pass, p.kdf()));
            k.destroy();
            return text;
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    static byte[] unprotect(String protectedKey, MasterKeySource.Passphrase p) {
        char[] pass = p.passphrase();
        try {
            TypedKeyPair k = KeyFiles.unprotect(KeyFileFormat.parse(protectedKey), pass);
            byte[] master = k.keyPair().privateKey();
            k.destroy();
            return master;
        } catch (KeyFileException e) {
            if (e.reason() == KeyFileException.Reason.WRONG_PASSPHRASE) {
                throw new WrongKeyException("wrong passphrase: it does not open the vault's master key");
            }
            throw new VaultException("the vault's protected master key is unreadable: " + e.getMessage());
        } finally {
            Arrays.fill(pass, '\0');
        }
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
