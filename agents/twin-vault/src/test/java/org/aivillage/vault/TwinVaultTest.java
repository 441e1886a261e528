package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwinVaultTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    VaultConfig config(boolean compression) {
        return new VaultConfig(tmp.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, compression);
    }

    static DigitalTwin twin(String id, String owner, String json) {
        return DigitalTwin.create(id, owner, json, PrivacyLevel.PRIVATE);
    }

    @Test
    void storeGetUpdateAndHistoryKeepEveryVersion() {
        try (TwinVault v = TwinVault.open(config(true), clock)) {
            TwinVault.WriteResult r1 = v.storeTwin("alice", twin("t1", "alice", "{\"b\": 2, \"a\": [1,2], \"n\": {\"x\": null}}"));
            assertThat(r1.twin().version()).isEqualTo(1);
            assertThat(r1.twin().data()).isEqualTo("{\"a\":[1,2],\"b\":2,\"n\":{\"x\":null}}");
            assertThat(r1.receipt().operation()).isEqualTo("store");
            assertThat(r1.receipt().outcome()).isEqualTo(Receipt.OK);
            clock.advance(Duration.ofSeconds(5));
            DigitalTwin got = v.getTwin("alice", "t1");
            TwinVault.WriteResult r2 = v.updateTwin("alice", got.withData("{\"b\":3}").withPrivacyLevel(PrivacyLevel.SECRET));
            assertThat(r2.twin().version()).isEqualTo(2);
            assertThat(v.getTwin("alice", "t1").data()).isEqualTo("{\"b\":3}");
            assertThat(v.getTwin("alice", "t1").privacyLevel()).isEqualTo(PrivacyLevel.SECRET);
            assertThat(v.getTwin("alice", "t1", 1).data()).isEqualTo(r1.twin().data());
            assertThat(v.getTwin("alice", "t1", 1).lastUpdated()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            List<TwinVersion> h = v.history("alice", "t1");
            assertThat(h).extracting(TwinVersion::version).containsExactly(1L, 2L);
            assertThat(h).extracting(TwinVersion::author).containsOnly("alice");
            List<DigitalTwin> scanned = new ArrayList<>();
            assertThat(v.scanHistory("alice", "t1", 1, scanned::add)).isEqualTo(2);
            assertThat(scanned).extracting(DigitalTwin::data).containsExactly(r1.twin().data(), "{\"b\":3}");
            assertThatThrownBy(() -> v.getTwin("alice", "t1", 3)).isInstanceOf(TwinNotFoundException.class)
                    .hasMessageContaining("no version 3");
            assertThatThrownBy(() -> v.getTwin("alice", "nope")).isInstanceOf(TwinNotFoundException.class).hasMessageContaining("'nope'");
        }
    }

    @Test
    void dataSurvivesReopenWithTheSameKeyAndWrongKeyIsAClearError() {
        VaultConfig cfg = config(false);
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            v.storeTwin("alice", twin("t1", "alice", "{\"k\":\"v\"}"));
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            assertThat(v.getTwin("alice", "t1").data()).isEqualTo("{\"k\":\"v\"}");
        }
        VaultConfig wrong = cfg.withMasterKey(new MasterKeySource.RawKey(Randomness.bytes(32)));
        assertThatThrownBy(() -> TwinVault.open(wrong, clock)).isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("wrong master key").hasMessageContaining(cfg.storagePath().toString());
        // The failed open released the directory lock.
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            assertThat(v.getTwin("alice", "t1").version()).isEqualTo(1);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        VaultConfig cfg = config(false);
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            assertThatThrownBy(() -> TwinVault.open(cfg, clock)).isInstanceOf(VaultException.class).hasMessageContaining("already open");
        }
    }

    @Test
    void keyFileOfHexOrRawBytesOpensTheVault() throws Exception {
        Path kf = tmp.resolve("keys/vault.key");
        TwinVault.writeKeyFile(kf);
        assertThat(Files.readString(kf).strip()).hasSize(64);
        assertThatThrownBy(() -> TwinVault.writeKeyFile(kf)).hasMessageContaining("already exists");
        VaultConfig cfg = new VaultConfig(tmp.resolve("v"), new MasterKeySource.KeyFile(kf), true, true);
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            v.storeTwin("bob", twin("b", "bob", "{}"));
        }
        byte[] raw = java.util.HexFormat.of().parseHex(Files.readString(kf).strip());
        Path rawFile = tmp.resolve("raw.key");
        Files.write(rawFile, raw);
        try (TwinVault v = TwinVault.open(cfg.withMasterKey(new MasterKeySource.KeyFile(rawFile)), clock)) {
            assertThat(v.getTwin("bob", "b").data()).isEqualTo("{}");
        }
        Files.writeString(rawFile, "not a key");
        assertThatThrownBy(() -> TwinVault.open(cfg.withMasterKey(new MasterKeySource.KeyFile(rawFile)), clock))
                .hasMessageContaining("32 raw bytes or 64 hex digits");
    }

    @Test
    void staleVersionUpdateIsAConflictAndNothingIsLost() throws Exception {
        try (TwinVault v = TwinVault.open(config(false), clock)) {
            v.storeTwin("alice", twin("t", "alice", "{\"n\":0}"));
            DigitalTwin a = v.getTwin("alice", "t");
            DigitalTwin b = v.getTwin("alice", "t");
            v.updateTwin("alice", a.withData("{\"n\":1}"));
            assertThatThrownBy(() -> v.updateTwin("alice", b.withData("{\"n\":99}")))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(1);
                        assertThat(e.currentVersion()).isEqualTo(2);
                    });
            assertThat(v.getTwin("alice", "t").data()).isEqualTo("{\"n\":1}");

            // Many threads increment a counter with read-modify-write and retry on conflict: no lost update.
            int threads = 4;
            int perThread = 25;
            AtomicInteger conflicts = new AtomicInteger();
            try (ExecutorService ex = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    fs.add(ex.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            while (true) {
                                DigitalTwin cur = v.getTwin("alice", "t");
                                int n = Integer.parseInt(cur.data().replaceAll("\\D", ""));
                                try {
                                    v.updateTwin("alice", cur.withData("{\"n\":" + (n + 1) + "}"));
                                    break;
                                } catch (VersionConflictException e) {
                                    conflicts.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            assertThat(v.getTwin("alice", "t").data()).isEqualTo("{\"n\":" + (1 + threads * perThread) + "}");
            assertThat(v.getTwin("alice", "t").version()).isEqualTo(2 + threads * perThread);
            assertThat(v.receiptsForTwin("t", 100_000)).filteredOn(r -> r.outcome().equals(Receipt.CONFLICT))
                    .hasSize(conflicts.get() + 1);
        }
    }

    @Test
    void accessIsEnforcedOnEveryCallAndExpiredGrantsAreDenied() {
        try (TwinVault v = TwinVault.open(config(false), clock)) {
            v.storeTwin("alice", twin("t", "alice", "{\"x\":1}"));
            assertThatThrownBy(() -> v.getTwin("bob", "t")).isInstanceOf(AccessDeniedException.class)
                    .hasMessage("user 'bob' may not read twin 't': no access grant");
            assertThatThrownBy(() -> v.storeTwin("bob", twin("u", "alice", "{}"))).isInstanceOf(AccessDeniedException.class);
            v.setAccessPolicy("alice", new AccessPolicy("t", EnumSet.of(Operation.READ), Set.of("bob", "carol"),
                    clock.instant().plus(Duration.ofHours(1))));
            assertThat(v.getTwin("bob", "t").data()).isEqualTo("{\"x\":1}");
            assertThat(v.listTwinsForUser("bob")).extracting(TwinSummary::id).containsExactly("t");
            assertThatThrownBy(() -> v.updateTwin("bob", v.getTwin("bob", "t").withData("{}")))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("allows only [READ]");
            assertThatThrownBy(() -> v.deleteTwin("bob", "t")).isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> v.setAccessPolicy("bob", new AccessPolicy("t", EnumSet.of(Operation.READ), Set.of("eve"),
                    clock.instant().plusSeconds(60)))).isInstanceOf(AccessDeniedException.class);

            // Carol may share read (not update) until her own grant ends.
            v.setAccessPolicy("alice", new AccessPolicy("t", EnumSet.of(Operation.READ, Operation.SHARE), Set.of("carol"),
                    clock.instant().plus(Duration.ofHours(2))));
            v.setAccessPolicy("carol", new AccessPolicy("t", EnumSet.of(Operation.READ), Set.of("dave"), clock.instant().plus(Duration.ofHours(1))));
            assertThat(v.getTwin("dave", "t").version()).isEqualTo(1);
            assertThatThrownBy(() -> v.setAccessPolicy("carol", new AccessPolicy("t", EnumSet.of(Operation.UPDATE), Set.of("dave"),
                    clock.instant().plusSeconds(1)))).isInstanceOf(AccessDeniedException.class).hasMessageContaining("allows only");
            assertThatThrownBy(() -> v.setAccessPolicy("carol", new AccessPolicy("t", EnumSet.of(Operation.READ), Set.of("dave"),
                    clock.instant().plus(Duration.ofDays(1))))).isInstanceOf(AccessDeniedException.class).hasMessageContaining("expiry");

            clock.advance(Duration.ofMinutes(61));
            assertThatThrownBy(() -> v.getTwin("bob", "t")).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("expired at 2026-03-01T11:00:00Z");
            assertThat(v.listTwinsForUser("bob")).isEmpty();
            assertThat(v.getTwin("carol", "t").version()).isEqualTo(1);

            v.revokeAccess("alice", "t", "carol");
            assertThatThrownBy(() -> v.getTwin("carol", "t")).isInstanceOf(AccessDeniedException.class).hasMessageContaining("no access grant");
            assertThat(v.accessPolicies("alice", "t")).extracting(p -> p.allowedUsers().iterator().next()).containsExactly("bob", "dave");

            List<Receipt> receipts = v.receiptsForTwin("t", 1000);
            assertThat(receipts).filteredOn(r -> r.outcome().equals(Receipt.DENIED)).extracting(Receipt::actor)
                    .contains("bob", "carol");
            assertThat(receipts).filteredOn(r -> r.operation().equals("get") && r.outcome().equals(Receipt.OK)).isNotEmpty();
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
    }

    @Test
    void deleteIsCryptoErasure() throws Exception {
        VaultConfig cfg = config(false);
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            v.storeTwin("alice", twin("gone", "alice", "{\"secret\":\"x\"}"));
            v.storeTwin("alice", twin("kept", "alice", "{}"));
            v.setAccessPolicy("alice", new AccessPolicy("gone", EnumSet.of(Operation.DELETE), Set.of("bob"), clock.instant().plusSeconds(60)));
            Receipt r = v.deleteTwin("bob", "gone");
            assertThat(r.operation()).isEqualTo("delete");
            assertThatThrownBy(() -> v.getTwin("alice", "gone")).isInstanceOf(TwinNotFoundException.class)
                    .hasMessageContaining("data key was destroyed");
            assertThatThrownBy(() -> v.storeTwin("alice", twin("gone", "alice", "{}"))).isInstanceOf(InvalidTwinException.class)
                    .hasMessageContaining("erased");
            assertThat(v.listTwinsForUser("alice")).extracting(TwinSummary::id).containsExactly("kept");
            // The in-memory copy of the destroyed data key is gone too; the other twin's is cached.
            assertThat(v.deks.size()).isEqualTo(1);
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM twins WHERE id = 'gone' AND wrapped IS NOT NULL),"
                        + " (SELECT count(*) FROM versions WHERE twin_id = 'gone')")) {
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isZero();
        }
    }

    @Test
    void aBackgroundConnectionCheckpointsTheWal() throws Exception {
        VaultConfig cfg = config(false);
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            long before = java.nio.file.Files.size(cfg.databaseFile());
            // Far fewer WAL pages than the writer's own checkpoint threshold: only the background
            // checkpointer can move them into the database file.
            for (int i = 0; i < 3 * org.aivillage.vault.internal.Db.CHECKPOINT_EVERY_COMMITS; i++) {
                v.storeTwin("alice", twin("c" + i, "alice", "{\"i\":" + i + "}"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (java.nio.file.Files.size(cfg.databaseFile()) <= before) {
                assertThat(System.nanoTime()).as("checkpoint within 20 s").isLessThan(deadline);
                Thread.onSpinWait();
                Thread.yield();
            }
            assertThat(v.getTwin("alice", "c7").data()).isEqualTo("{\"i\":7}");
        }
    }

    @Test
    void versionsOfTwinsCreatedAcrossReopensStaySeparate() {
        VaultConfig cfg = config(true);
        for (int open = 0; open < 3; open++) {
            try (TwinVault v = TwinVault.open(cfg, clock)) {
                for (int i = 0; i < 5; i++) {
                    String id = "t" + open + "-" + i;
                    DigitalTwin t = v.storeTwin("alice", twin(id, "alice", "{\"v\":1}")).twin();
                    // A refused duplicate (rolled back) must not disturb numbering.
                    assertThatThrownBy(() -> v.storeTwin("alice", twin(id, "alice", "{}"))).isInstanceOf(InvalidTwinException.class);
                    for (int k = 2; k <= 1 + i; k++) {
                        t = v.updateTwin("alice", t.withData("{\"v\":" + k + "}")).twin();
                    }
                }
            }
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            for (int open = 0; open < 3; open++) {
                for (int i = 0; i < 5; i++) {
                    String id = "t" + open + "-" + i;
                    assertThat(v.history("alice", id)).extracting(TwinVersion::version)
                            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1 + i).boxed().toList());
                    assertThat(v.getTwin("alice", id).data()).isEqualTo("{\"v\":" + (1 + i) + "}");
                    assertThat(v.getTwin("alice", id, 1).data()).isEqualTo("{\"v\":1}");
                }
            }
            assertThat(v.verify().ok()).isTrue();
            assertThat(v.verify().versions()).isEqualTo(3 * (1 + 2 + 3 + 4 + 5));
        }
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        try (TwinVault v = TwinVault.open(config(false), clock)) {
            assertThatThrownBy(() -> v.storeTwin("alice", twin("t", "alice", "[1,2]"))).isInstanceOf(InvalidTwinException.class)
                    .hasMessageContaining("JSON object");
            assertThatThrownBy(() -> v.storeTwin("alice", twin("t", "alice", "{\"a\":1,\"a\":2}"))).isInstanceOf(InvalidTwinException.class);
            assertThatThrownBy(() -> v.storeTwin("alice", twin("t", "alice", "{\"a\":"))).isInstanceOf(InvalidTwinException.class);
            assertThatThrownBy(() -> v.storeTwin("alice", twin("", "alice", "{}"))).isInstanceOf(InvalidTwinException.class);
            assertThatThrownBy(() -> v.storeTwin("alice", twin("a\nb", "alice", "{}"))).isInstanceOf(InvalidTwinException.class);
            assertThat(v.listTwinsForUser("alice")).isEmpty();
            v.storeTwin("alice", twin("t", "alice", "{}"));
            assertThatThrownBy(() -> v.storeTwin("alice", twin("t", "alice", "{}"))).isInstanceOf(InvalidTwinException.class)
                    .hasMessageContaining("already exists");
            assertThatThrownBy(() -> v.updateTwin("alice", new DigitalTwin("t", "mallory", 1, "{}", PrivacyLevel.PUBLIC, Instant.EPOCH)))
                    .isInstanceOf(InvalidTwinException.class).hasMessageContaining("cannot be changed");
            assertThat(v.getTwin("alice", "t").version()).isEqualTo(1);
            assertThat(v.receipts(1, 100)).filteredOn(r -> r.outcome().equals(Receipt.INVALID)).hasSize(7);
        }
    }

    @Test
    void masterKeyRotationRewrapsDataKeysWithoutReencryptingData() throws Exception {
        VaultConfig cfg = config(true).withCipher(RecordCipher.AES_256_GCM);
        MasterKeySource.RawKey next = new MasterKeySource.RawKey(Randomness.bytes(32));
        byte[] before;
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            for (int i = 0; i < 5; i++) {
                v.storeTwin("alice", twin("t" + i, "alice", "{\"i\":" + i + "}"));
            }
            before = sealedOf(cfg, "t3");
            Receipt r = v.rotateMasterKey(next);
            assertThat(r.detail()).contains("5 data keys re-wrapped");
            assertThat(v.getTwin("alice", "t3").data()).isEqualTo("{\"i\":3}");
            v.storeTwin("alice", twin("after", "alice", "{}"));
        }
        assertThat(sealedOf(cfg, "t3")).isEqualTo(before);
        assertThatThrownBy(() -> TwinVault.open(cfg, clock)).isInstanceOf(WrongKeyException.class);
        try (TwinVault v = TwinVault.open(cfg.withMasterKey(next), clock)) {
            assertThat(v.getTwin("alice", "t4").data()).isEqualTo("{\"i\":4}");
            assertThat(v.getTwin("alice", "after").version()).isEqualTo(1);
            assertThat(v.verify().ok()).isTrue();
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
    }

    static byte[] sealedOf(VaultConfig cfg, String id) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var ps = c.prepareStatement("SELECT sealed FROM versions WHERE twin_id = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void receiptsAreSignedChainedAndTamperingIsDetected() throws Exception {
        VaultConfig cfg = config(false);
        byte[] pub;
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            pub = v.devicePublicKey();
            Receipt r = v.storeTwin("alice", twin("t", "alice", "{}")).receipt();
            assertThat(r.verifySignature(pub)).isTrue();
            assertThat(Receipt.decode(r.encoded())).isEqualTo(r);
            assertThat(r.signer()).isEqualTo(pub);
            v.getTwin("alice", "t");
            v.getTwin("bob", "t").hashCode();
        } catch (AccessDeniedException expected) {
            // bob's denied read still gets a receipt
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            List<Receipt> all = v.receipts(1, 100);
            assertThat(all).extracting(Receipt::operation).containsExactly("store", "get", "get");
            assertThat(all).extracting(Receipt::outcome).containsExactly("ok", "ok", "denied");
            assertThat(all.get(1).previousHash()).isEqualTo(all.get(0).hash());
            byte[] signer = TwinVault.readDevicePublicKey(cfg.storagePath());
            assertThat(all).allMatch(x -> x.verifySignature(signer));
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile())) {
            // Rewriting an entry, even keeping the hash chain consistent, breaks its batch signature.
            byte[] e2;
            byte[] vid;
            try (var rs = c.createStatement().executeQuery("SELECT entry FROM audit WHERE seq = 2")) {
                e2 = rs.getBytes(1);
            }
            try (var rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key = 'vault_id'")) {
                vid = rs.getBytes(1);
            }
            byte[] forged = Receipt.entry(vid, 3, clock.instant(), "bob", "get", "t", 1L, Receipt.OK,
                    org.aivillage.betanet.crypto.Hashes.sha256(e2), null);
            try (var ps = c.prepareStatement("UPDATE audit SET entry = ? WHERE seq = 3")) {
                ps.setBytes(1, forged);
                ps.executeUpdate();
            }
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            assertThat(v.verifyAuditLog().problems()).anyMatch(p -> p.contains("signature does not verify"));
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile())) {
            c.createStatement().executeUpdate("DELETE FROM audit WHERE seq = 2");
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            AuditVerification av = v.verifyAuditLog();
            assertThat(av.ok()).isFalse();
            assertThat(av.problems()).anyMatch(p -> p.contains("entry 3") && p.contains("gap"));
            assertThat(av.problems()).anyMatch(p -> p.contains("hash chain broken"));
            assertThat(av.problems()).anyMatch(p -> p.contains("batch") && p.contains("entries"));
        }
    }
}
