package org.aivillage.vault.internal;

import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.VaultException;

/** Argon2id over the vault passphrase (through libbetanet's key-file support). */
final class PassphraseKdf {
    private PassphraseKdf() {}

    static byte[] derive(MasterKeySource.Passphrase p, MasterKeys.Kdf kdf) {
        throw new VaultException("TEMPORARY: Argon2id not wired yet");
    }
}
