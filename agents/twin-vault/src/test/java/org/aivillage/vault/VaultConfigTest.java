package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.config.ConfigException;
import org.aivillage.config.ConfigLoader;
import org.aivillage.vault.internal.Sealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [storage.twin_vault] cipher} and {@link RecordCipher}: which AEAD seals which record. */
class VaultConfigTest {
    @TempDir
    Path tmp;

    static final String KEY = "encryption_key = \"" + "ab".repeat(32) + "\"\n";
    static final boolean AES = "true".equals(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseAES").getValue());

    static VaultConfig parse(String section) {
        return VaultConfig.from(ConfigLoader.parse("[storage.twin_vault]\n" + KEY + section, "test.toml"));
    }

    @Test
    void settingsMapToRecordCiphersAndUnknownOnesAreNamed() {
        assertThat(parse("").cipher()).isEqualTo(RecordCipher.AUTO);
        assertThat(new VaultConfig(tmp, new MasterKeySource.RawKey(new byte[32]), true, false).cipher()).isEqualTo(RecordCipher.AUTO);
        assertThat(parse("cipher = \"auto\"\n").cipher()).isEqualTo(RecordCipher.AUTO);
        assertThat(parse("cipher = \"xchacha20_poly1305\"\n").cipher()).isEqualTo(RecordCipher.XCHACHA20_POLY1305);
        assertThat(parse("cipher = \"aes_256_gcm\"\n").cipher()).isEqualTo(RecordCipher.AES_256_GCM);
        assertThatThrownBy(() -> parse("cipher = \"rot13\"\n")).isInstanceOf(ConfigException.class).hasMessageContaining("cipher");
    }

    @Test
    void autoUsesGcmForLargeRecordsOnlyWhereTheJvmUsesAesInstructions() {
        assertThat(RecordCipher.hardwareAes()).isEqualTo(AES);
        assertThat(RecordCipher.AUTO.forRecord(RecordCipher.AUTO_GCM_FROM - 1)).isEqualTo(Aead.Algorithm.XCHACHA20_POLY1305);
        assertThat(RecordCipher.AUTO.forRecord(RecordCipher.AUTO_GCM_FROM))
                .isEqualTo(AES ? Aead.Algorithm.AES_256_GCM : Aead.Algorithm.XCHACHA20_POLY1305);
        for (int n : new int[] {0, 100, 1 << 20}) {
            assertThat(RecordCipher.AES_256_GCM.forRecord(n)).isEqualTo(Aead.Algorithm.AES_256_GCM);
            assertThat(RecordCipher.XCHACHA20_POLY1305.forRecord(n)).isEqualTo(Aead.Algorithm.XCHACHA20_POLY1305);
        }
    }

    static int algorithmOf(VaultConfig cfg, String id, long version) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var ps = c.prepareStatement("SELECT sealed FROM versions WHERE twin_id = ? AND version = ?")) {
            ps.setString(1, id);
            ps.setLong(2, version);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1)[0];
            }
        }
    }

    @Test
    void recordsNameTheirCipherAndStayReadableWhenTheSettingChanges() throws Exception {
        MasterKeySource key = new MasterKeySource.RawKey(new byte[32]);
        VaultConfig chacha = new VaultConfig(tmp.resolve("v"), key, true, false, RecordCipher.XCHACHA20_POLY1305);
        String small = "{\"by\":\"auto, small\"}";
        String large = ReadPathTest.sized(20_000, 3);
        try (TwinVault v = TwinVault.open(chacha)) {
            v.storeTwin("alice", DigitalTwin.create("x", "alice", "{\"by\":\"xchacha\"}", PrivacyLevel.PRIVATE));
        }
        try (TwinVault v = TwinVault.open(chacha.withCipher(RecordCipher.AES_256_GCM))) {
            v.storeTwin("alice", DigitalTwin.create("g", "alice", "{\"by\":\"gcm\"}", PrivacyLevel.PRIVATE));
            v.updateTwin("alice", v.getTwin("alice", "x").withData("{\"by\":\"gcm too\"}"));
        }
        try (TwinVault v = TwinVault.open(chacha.withCipher(RecordCipher.AUTO))) {
            v.storeTwin("alice", DigitalTwin.create("a", "alice", small, PrivacyLevel.PRIVATE));
            v.updateTwin("alice", v.getTwin("alice", "a").withData(large));
        }
        assertThat(algorithmOf(chacha, "x", 1)).isEqualTo(Sealer.ALG_XCHACHA20_POLY1305);
        assertThat(algorithmOf(chacha, "x", 2)).isEqualTo(Sealer.ALG_AES_256_GCM);
        assertThat(algorithmOf(chacha, "g", 1)).isEqualTo(Sealer.ALG_AES_256_GCM);
        assertThat(algorithmOf(chacha, "a", 1)).isEqualTo(Sealer.ALG_XCHACHA20_POLY1305);
        assertThat(algorithmOf(chacha, "a", 2)).isEqualTo(AES ? Sealer.ALG_AES_256_GCM : Sealer.ALG_XCHACHA20_POLY1305);
        try (TwinVault v = TwinVault.open(chacha)) {
            assertThat(v.getTwin("alice", "x", 1).data()).isEqualTo("{\"by\":\"xchacha\"}");
            assertThat(v.getTwin("alice", "x").data()).isEqualTo("{\"by\":\"gcm too\"}");
            assertThat(v.getTwin("alice", "g").data()).isEqualTo("{\"by\":\"gcm\"}");
            assertThat(v.getTwin("alice", "a", 1).data()).isEqualTo(small);
            assertThat(v.getTwin("alice", "a").data()).isEqualTo(large);
        }
    }
}
