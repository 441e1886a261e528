package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.keys.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passphrase vaults: Argon2id (libbetanet key files) protects a random master key kept in the vault. */
class PassphraseTest {
    /** Cheap Argon2id so the test is quick; real vaults use Argon2Parameters.DEFAULT. */
    static final Argon2Parameters CHEAP = new Argon2Parameters(1024, 1, 1);

    @TempDir
    Path tmp;

    static MasterKeySource.Passphrase pass(String s) {
        return new MasterKeySource.Passphrase(s.toCharArray(), CHEAP);
    }

    @Test
    void openWithThePassphraseRefuseAnotherAndRotate() throws Exception {
        VaultConfig cfg = new VaultConfig(tmp.resolve("v"), pass("correct horse battery staple"), true, true);
        try (TwinVault v = TwinVault.open(cfg)) {
            v.storeTwin("a", DigitalTwin.create("t", "a", "{\"x\":1}", PrivacyLevel.PRIVATE));
        }
        byte[] db = Files.readAllBytes(cfg.databaseFile());
        assertThat(new String(db, StandardCharsets.ISO_8859_1)).contains("argon2id").doesNotContain("correct horse");
        assertThatThrownBy(() -> TwinVault.open(cfg.withMasterKey(pass("wrong")))).isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> TwinVault.open(cfg.withMasterKey(new MasterKeySource.RawKey(Randomness.bytes(32)))))
                .isInstanceOf(WrongKeyException.class).hasMessageContaining("passphrase");
        try (TwinVault v = TwinVault.open(cfg)) {
            assertThat(v.getTwin("a", "t").data()).isEqualTo("{\"x\":1}");
            v.rotateMasterKey(pass("new passphrase"));
        }
        assertThatThrownBy(() -> TwinVault.open(cfg)).isInstanceOf(WrongKeyException.class);
        try (TwinVault v = TwinVault.open(cfg.withMasterKey(pass("new passphrase")))) {
            assertThat(v.getTwin("a", "t").version()).isEqualTo(1);
        }
    }

    @Test
    void aKeyVaultRefusesAPassphraseAndABackupRestoresWithThePassphraseAlone() {
        VaultConfig keyed = new VaultConfig(tmp.resolve("k"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, true);
        try (TwinVault v = TwinVault.open(keyed)) {
            v.storeTwin("a", DigitalTwin.create("t", "a", "{}", PrivacyLevel.PRIVATE));
        }
        assertThatThrownBy(() -> TwinVault.open(keyed.withMasterKey(pass("p")))).isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("not a passphrase");

        VaultConfig cfg = new VaultConfig(tmp.resolve("p"), pass("s3cret"), true, true);
        Path backup;
        try (TwinVault v = TwinVault.open(cfg)) {
            v.storeTwin("a", DigitalTwin.create("t", "a", "{\"k\":2}", PrivacyLevel.SECRET));
            backup = v.createBackup();
        }
        VaultConfig fresh = new VaultConfig(tmp.resolve("restored"), pass("s3cret"), true, true);
        try (TwinVault r = TwinVault.restoreInto(fresh, backup)) {
            assertThat(r.getTwin("a", "t").data()).isEqualTo("{\"k\":2}");
        }
        VaultConfig wrong = new VaultConfig(tmp.resolve("nope"), pass("guess"), true, true);
        assertThatThrownBy(() -> TwinVault.restoreInto(wrong, backup)).isInstanceOf(WrongKeyException.class);
        assertThat(Files.exists(wrong.databaseFile())).isFalse();
    }
}
