package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.Argon2id;
import org.aivillage.vault.internal.PassphraseKdf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passphrase vaults: master key = Argon2id(passphrase, salt, costs), salt and costs stored with the vault. */
class PassphraseTest {
    /** Cheap Argon2id so the test is quick; real vaults use Argon2id.Parameters.DEFAULT. */
    static final Argon2id.Parameters CHEAP = new Argon2id.Parameters(1024, 1, 1);

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
        PassphraseKdf first = storedKdf(cfg);
        assertThat(first.params()).isEqualTo(CHEAP);
        assertThat(first.salt()).hasSize(16);
        assertThatThrownBy(() -> TwinVault.open(cfg.withMasterKey(pass("wrong")))).isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> TwinVault.open(cfg.withMasterKey(new MasterKeySource.RawKey(Randomness.bytes(32)))))
                .isInstanceOf(WrongKeyException.class).hasMessageContaining("passphrase");
        try (TwinVault v = TwinVault.open(cfg)) {
            assertThat(v.getTwin("a", "t").data()).isEqualTo("{\"x\":1}");
            v.rotateMasterKey(pass("new passphrase"));
        }
        assertThatThrownBy(() -> TwinVault.open(cfg)).isInstanceOf(WrongKeyException.class).hasMessageContaining("wrong passphrase");
        assertThat(storedKdf(cfg).salt()).as("rotation draws a fresh salt").isNotEqualTo(first.salt());
        try (TwinVault v = TwinVault.open(cfg.withMasterKey(pass("new passphrase")))) {
            assertThat(v.getTwin("a", "t").version()).isEqualTo(1);
        }
    }

    static PassphraseKdf storedKdf(VaultConfig cfg) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key = 'passphrase_kdf'")) {
            assertThat(rs.next()).isTrue();
            return PassphraseKdf.decode(rs.getBytes(1));
        }
    }

    @Test
    void storedCostsAreBoundedAndTheKdfRecordRoundTrips() throws Exception {
        PassphraseKdf k = PassphraseKdf.fresh(CHEAP);
        assertThat(PassphraseKdf.decode(k.encode())).isEqualTo(k);
        VaultConfig cfg = new VaultConfig(tmp.resolve("h"), pass("pw"), true, false);
        TwinVault.open(cfg).close();
        // A hostile database asking for 4 GiB of Argon2id memory is refused before deriving anything.
        byte[] hostile = org.aivillage.betanet.codec.Cbor.encodeDeterministic(org.aivillage.betanet.codec.CborValue.map(
                org.aivillage.betanet.codec.CborValue.of(1), org.aivillage.betanet.codec.CborValue.of("argon2id"),
                org.aivillage.betanet.codec.CborValue.of(2), org.aivillage.betanet.codec.CborValue.of(0x13),
                org.aivillage.betanet.codec.CborValue.of(3), org.aivillage.betanet.codec.CborValue.of(4L << 20),
                org.aivillage.betanet.codec.CborValue.of(4), org.aivillage.betanet.codec.CborValue.of(1),
                org.aivillage.betanet.codec.CborValue.of(5), org.aivillage.betanet.codec.CborValue.of(1),
                org.aivillage.betanet.codec.CborValue.of(6), org.aivillage.betanet.codec.CborValue.of(new byte[16])));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'passphrase_kdf'")) {
            ps.setBytes(1, hostile);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThatThrownBy(() -> TwinVault.open(cfg)).isInstanceOf(VaultException.class).hasMessageContaining("limits");
        assertThatThrownBy(() -> new MasterKeySource.Passphrase("x".toCharArray(), Argon2id.Parameters.RFC9106_HIGH_MEMORY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory");
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
        assertThatThrownBy(() -> TwinVault.restoreInto(wrong, backup)).isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("wrong passphrase");
        assertThat(Files.exists(wrong.databaseFile())).isFalse();
    }
}
