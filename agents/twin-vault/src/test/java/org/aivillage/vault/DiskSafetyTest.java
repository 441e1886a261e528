package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.aivillage.betanet.crypto.Randomness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the disk: never twin plaintext; a damaged record names its twin and spares the rest. */
class DiskSafetyTest {
    static final String MARKER = "PLAINTEXT-MARKER-q7Zx";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noPlaintextOfATwinEverReachesTheDisk(boolean compression) throws Exception {
        VaultConfig cfg = new VaultConfig(tmp.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, compression);
        String data = "{\"" + MARKER + "-key\": \"" + MARKER + " value\", \"nested\": {\"note\": \"" + MARKER.repeat(50) + "\"}}";
        try (TwinVault v = TwinVault.open(cfg)) {
            v.storeTwin("alice", DigitalTwin.create("health", "alice", data, PrivacyLevel.SECRET));
            for (int i = 0; i < 20; i++) {
                DigitalTwin cur = v.getTwin("alice", "health");
                v.updateTwin("alice", cur.withData(data.replace("value", "value " + i)));
            }
            v.createBackup();
            // While open: the WAL and shared-memory files hold the recent pages.
            assertNoMarker(cfg.storagePath());
            v.deleteTwin("alice", "health");
            v.storeTwin("alice", DigitalTwin.create("other", "alice", data, PrivacyLevel.SECRET));
            v.createBackup();
            assertNoMarker(cfg.storagePath());
        }
        assertNoMarker(cfg.storagePath());
        assertThat(filesUnder(cfg.storagePath())).anyMatch(p -> p.toString().endsWith(".tvb"));
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static void assertNoMarker(Path dir) throws IOException {
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        List<Path> files = filesUnder(dir);
        assertThat(files).anyMatch(p -> p.getFileName().toString().equals("vault.db"));
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            assertThat(indexOf(content, marker)).as("plaintext marker in %s", f).isEqualTo(-1);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aFlippedByteInTheDatabaseFileBreaksOnlyThatTwinAndTheVaultSaysWhich() throws Exception {
        VaultConfig cfg = new VaultConfig(tmp.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false);
        try (TwinVault v = TwinVault.open(cfg)) {
            for (String id : List.of("anna", "bruno", "chen")) {
                v.storeTwin(id, DigitalTwin.create(id, id, "{\"name\":\"" + id + "\",\"pad\":\"" + "x".repeat(200) + "\"}", PrivacyLevel.PRIVATE));
            }
        }
        byte[] sealed = TwinVaultTest.sealedOf(cfg, "bruno");
        byte[] file = Files.readAllBytes(cfg.databaseFile());
        int at = indexOf(file, sealed);
        assertThat(at).as("bruno's record is in the database file").isPositive();
        file[at + sealed.length / 2] ^= 0x20;
        Files.write(cfg.databaseFile(), file);

        try (TwinVault v = TwinVault.open(cfg)) {
            assertThatThrownBy(() -> v.getTwin("bruno", "bruno")).isInstanceOf(TwinCorruptedException.class)
                    .hasMessageContaining("twin 'bruno' version 1 failed to decrypt");
            assertThat(v.getTwin("anna", "anna").data()).contains("anna");
            assertThat(v.getTwin("chen", "chen").data()).contains("chen");
            VerifyReport report = v.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).hasSize(1).allMatch(p -> p.contains("'bruno'"));
            assertThat(v.receiptsForTwin("bruno", 10)).extracting(Receipt::outcome).contains(Receipt.CORRUPT);
        }
    }

    @Test
    void swappedRecordsBetweenTwinsDoNotDecrypt() throws Exception {
        VaultConfig cfg = new VaultConfig(tmp.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false);
        try (TwinVault v = TwinVault.open(cfg)) {
            v.storeTwin("a", DigitalTwin.create("x", "a", "{\"v\":1}", PrivacyLevel.PRIVATE));
            v.updateTwin("a", v.getTwin("a", "x").withData("{\"v\":2}"));
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile())) {
            // Replay version 1's ciphertext as version 2 (same twin, same key): the AAD binds the version.
            c.createStatement().executeUpdate("UPDATE versions SET sealed = (SELECT sealed FROM versions WHERE twin_id = 'x' AND version = 1)"
                    + " WHERE twin_id = 'x' AND version = 2");
        }
        try (TwinVault v = TwinVault.open(cfg)) {
            assertThatThrownBy(() -> v.getTwin("a", "x")).isInstanceOf(TwinCorruptedException.class).hasMessageContaining("version 2");
            assertThat(v.getTwin("a", "x", 1).data()).isEqualTo("{\"v\":1}");
        }
    }
}
