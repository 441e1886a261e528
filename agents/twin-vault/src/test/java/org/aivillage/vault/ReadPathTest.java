package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.internal.Sealer;
import org.aivillage.vault.internal.VersionAad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path that skips the twin row (owner and number cached, data key cached) answers exactly
 * as the full path: newest version after updates, old versions, erased twins, grants and their
 * revocation, restores; and the hand-written version AAD equals the generic CBOR encoding.
 */
class ReadPathTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    VaultConfig config() {
        return new VaultConfig(tmp.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false);
    }

    static DigitalTwin twin(String id, String json) {
        return DigitalTwin.create(id, "alice", json, PrivacyLevel.PRIVATE);
    }

    @Test
    void versionAadEqualsGenericCbor() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] vault = new byte[16];
            r.nextBytes(vault);
            String id = ReceiptEntryTest.text(r);
            String owner = ReceiptEntryTest.text(r);
            long version = r.nextBoolean() ? r.nextInt(30) : r.nextLong() & Long.MAX_VALUE;
            int privacy = r.nextInt(300);
            long ms = switch (r.nextInt(3)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() & 0xFFFF_FFFF_FFFFL;
                default -> r.nextInt(70_000) - 1000;
            };
            int flags = r.nextBoolean() ? r.nextInt(3) : r.nextInt();
            byte[] generic = Sealer.aad(CborValue.of(VersionAad.LABEL), CborValue.of(vault), CborValue.of(id), CborValue.of(owner),
                    CborValue.of(version), CborValue.of(privacy), CborValue.of(ms), CborValue.of(flags));
            assertThat(new VersionAad(vault).encode(id, owner, version, privacy, ms, flags)).isEqualTo(generic);
        });
    }

    /** A JSON object of about {@code size} bytes whose content depends on {@code seed}. */
    static String sized(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("{\"s\":\"");
        while (b.length() < size) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.append("\"}").toString();
    }

    @Test
    void readsOfMixedSizesReuseTheDecryptionBufferWithoutLeakingEarlierPlaintext() {
        // Sizes straddle the 1 MiB the connection keeps: a small read after a large one must not
        // see the large record's bytes, and a record larger than the kept buffer still reads whole.
        int[] sizes = {70_000, 10, 1 << 20, 300, (1 << 20) + 5_000, 64, 4096};
        for (boolean compression : new boolean[] {false, true}) {
            Path dir = tmp.resolve("mixed-" + compression);
            try (TwinVault v = TwinVault.open(new VaultConfig(dir, new MasterKeySource.RawKey(Randomness.bytes(32)), true, compression), clock)) {
                for (int i = 0; i < sizes.length; i++) {
                    v.storeTwin("alice", twin("m" + i, sized(sizes[i], i)));
                }
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < sizes.length; i++) {
                        assertThat(v.getTwin("alice", "m" + i).data()).as("twin m%d, compression %s", i, compression)
                                .isEqualTo(sized(sizes[i], i));
                    }
                    for (int i = sizes.length - 1; i >= 0; i--) {
                        List<String> seen = new java.util.ArrayList<>();
                        v.scanHistory("alice", "m" + i, 1, t -> seen.add(t.data()));
                        assertThat(seen).containsExactly(sized(sizes[i], i));
                    }
                }
            }
        }
    }

    @Test
    void openIntoLeavesNoPlaintextBehindWhenTheTagFails() throws Exception {
        byte[] key = Randomness.bytes(32);
        byte[] plain = new byte[5000];
        java.util.Arrays.fill(plain, (byte) 'x');
        byte[] sealed = Sealer.seal(org.aivillage.betanet.crypto.Aead.Algorithm.XCHACHA20_POLY1305, key, new byte[] {1}, plain);
        byte[] out = new byte[8192];
        assertThat(Sealer.openInto(key, new byte[] {1}, sealed, out)).isEqualTo(5000);
        assertThat(java.util.Arrays.copyOf(out, 5000)).isEqualTo(plain);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> Sealer.openInto(key, new byte[] {1}, sealed, out))
                .isInstanceOf(org.aivillage.betanet.crypto.AuthenticationFailedException.class);
        assertThat(out).containsOnly((byte) 0);
        assertThat(Sealer.plaintextLength(new byte[] {1, 2, 3})).isEqualTo(-1);
        assertThat(Sealer.plaintextLength(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isEqualTo(-1);
    }

    @Test
    void cachedReadsFollowUpdatesVersionsAndErasure() {
        try (TwinVault v = TwinVault.open(config(), clock)) {
            v.storeTwin("alice", twin("t", "{\"n\":1}"));
            v.storeTwin("alice", twin("other", "{\"o\":1}"));
            assertThat(v.getTwin("alice", "t").data()).isEqualTo("{\"n\":1}"); // full path, remembers the twin
            for (int i = 2; i <= 5; i++) {
                DigitalTwin cur = v.getTwin("alice", "t");
                assertThat(cur.version()).isEqualTo(i - 1);
                clock.advance(Duration.ofSeconds(1));
                v.updateTwin("alice", cur.withData("{\"n\":" + i + "}").withPrivacyLevel(i % 2 == 0 ? PrivacyLevel.SECRET : PrivacyLevel.PRIVATE));
            }
            DigitalTwin head = v.getTwin("alice", "t");
            assertThat(head.version()).isEqualTo(5);
            assertThat(head.data()).isEqualTo("{\"n\":5}");
            assertThat(head.privacyLevel()).isEqualTo(PrivacyLevel.PRIVATE);
            assertThat(head.lastUpdated()).isEqualTo(Instant.parse("2026-03-01T10:00:04Z"));
            assertThat(v.getTwin("alice", "t", 2).data()).isEqualTo("{\"n\":2}");
            assertThat(v.getTwin("alice", "t", 2).privacyLevel()).isEqualTo(PrivacyLevel.SECRET);
            assertThatThrownBy(() -> v.getTwin("alice", "t", 6)).isInstanceOf(TwinNotFoundException.class).hasMessageContaining("no version 6");
            assertThatThrownBy(() -> v.getTwin("bob", "t")).isInstanceOf(AccessDeniedException.class).hasMessageContaining("no access grant");

            v.setAccessPolicy("alice", new AccessPolicy("t", EnumSet.of(Operation.READ), Set.of("bob"), clock.instant().plusSeconds(60)));
            assertThat(v.getTwin("bob", "t").version()).isEqualTo(5);
            v.revokeAccess("alice", "t", "bob");
            assertThatThrownBy(() -> v.getTwin("bob", "t")).isInstanceOf(AccessDeniedException.class).hasMessageContaining("no access grant");

            v.deleteTwin("alice", "t");
            assertThatThrownBy(() -> v.getTwin("alice", "t")).isInstanceOf(TwinNotFoundException.class)
                    .hasMessageContaining("data key was destroyed");
            assertThatThrownBy(() -> v.getTwin("alice", "t", 2)).isInstanceOf(TwinNotFoundException.class)
                    .hasMessageContaining("data key was destroyed");
            assertThat(v.getTwin("alice", "other").data()).isEqualTo("{\"o\":1}");

            // Every read, by either path, has its receipt.
            assertThat(v.receiptsForTwin("t", 1000)).filteredOn(r -> r.operation().equals("get")).hasSizeGreaterThanOrEqualTo(14);
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
    }

    @Test
    void restoreForgetsCachedTwins() {
        try (TwinVault v = TwinVault.open(config(), clock)) {
            v.storeTwin("alice", twin("a", "{\"v\":\"old\"}"));
            Path backup = v.createBackup();
            DigitalTwin a = v.getTwin("alice", "a");
            v.updateTwin("alice", a.withData("{\"v\":\"new\"}"));
            v.storeTwin("alice", twin("b", "{\"b\":1}"));
            assertThat(v.getTwin("alice", "a").data()).isEqualTo("{\"v\":\"new\"}");
            assertThat(v.getTwin("alice", "b").version()).isEqualTo(1);
            v.restoreBackup(backup);
            assertThat(v.getTwin("alice", "a").data()).isEqualTo("{\"v\":\"old\"}");
            assertThat(v.getTwin("alice", "a").version()).isEqualTo(1);
            assertThatThrownBy(() -> v.getTwin("alice", "b")).isInstanceOf(TwinNotFoundException.class);
            // A new twin b after the restore gets its own number; the old one is not used.
            v.storeTwin("alice", twin("b", "{\"b\":2}"));
            assertThat(v.getTwin("alice", "b").data()).isEqualTo("{\"b\":2}");
        }
    }

    @Test
    void manyQueuedReadEntriesChainWithoutGaps() {
        try (TwinVault v = TwinVault.open(config(), clock)) {
            v.storeTwin("alice", twin("t", "{\"n\":1}"));
            for (int i = 0; i < 333; i++) {
                v.getTwin("alice", "t");
                if (i == 200) {
                    v.updateTwin("alice", v.getTwin("alice", "t").withData("{\"n\":2}"));
                }
            }
            assertThatThrownBy(() -> v.getTwin("bob", "t")).isInstanceOf(AccessDeniedException.class);
            List<Receipt> all = v.receipts(1, 10_000);
            assertThat(all).extracting(Receipt::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
            assertThat(all).filteredOn(r -> r.operation().equals("get")).hasSize(335);
            assertThat(all.getLast().actor()).isEqualTo("bob");
            assertThat(all.getLast().outcome()).isEqualTo(Receipt.DENIED);
            assertThat(v.verifyAuditLog().ok()).isTrue();
            assertThat(v.verifyAuditLog().receipts()).isEqualTo(all.size());
        }
    }

    @Test
    void aTamperedVersionIsReportedAndRotationKeepsCachedReadsWorking() throws Exception {
        VaultConfig cfg = config();
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            v.storeTwin("alice", twin("t", "{\"n\":1}"));
            v.storeTwin("alice", twin("u", "{\"u\":1}"));
            assertThat(v.getTwin("alice", "t").version()).isEqualTo(1);
            assertThat(v.getTwin("alice", "u").version()).isEqualTo(1);
            // Flip one ciphertext byte of t's only version behind the vault's back.
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                    var ps = c.prepareStatement("UPDATE versions SET sealed = ? WHERE twin_id = 't'")) {
                byte[] sealed = TwinVaultTest.sealedOf(cfg, "t");
                sealed[sealed.length - 1] ^= 1;
                ps.setBytes(1, sealed);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThatThrownBy(() -> v.getTwin("alice", "t")).isInstanceOf(TwinCorruptedException.class)
                    .hasMessageContaining("version 1 failed to decrypt");
            assertThat(v.receiptsForTwin("t", 100)).extracting(Receipt::outcome).contains(Receipt.CORRUPT);

            v.rotateMasterKey(new MasterKeySource.RawKey(Randomness.bytes(32)));
            assertThat(v.getTwin("alice", "u").data()).isEqualTo("{\"u\":1}");
            assertThat(v.getTwin("alice", "u").data()).isEqualTo("{\"u\":1}");
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
    }

    @Test
    void aSchema2VaultIsMigratedByDroppingTheOwnerIndex() throws Exception {
        VaultConfig cfg = config();
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            v.storeTwin("alice", twin("t", "{\"n\":1}"));
            v.storeTwin("alice", twin("u", "{\"u\":1}"));
        }
        // Schema 2 is schema 3 plus the index on twins(owner).
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile())) {
            c.createStatement().execute("CREATE INDEX twins_owner ON twins(owner)");
            c.createStatement().execute("PRAGMA user_version = 2");
        }
        try (TwinVault v = TwinVault.open(cfg, clock)) {
            assertThat(v.getTwin("alice", "t").data()).isEqualTo("{\"n\":1}");
            assertThat(v.listTwinsForUser("alice")).extracting(TwinSummary::id).containsExactly("t", "u");
            v.updateTwin("alice", v.getTwin("alice", "u").withData("{\"u\":2}"));
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + cfg.databaseFile());
                var rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'twins_owner'),"
                        + " (SELECT user_version FROM pragma_user_version)")) {
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isEqualTo(3);
        }
    }
}
