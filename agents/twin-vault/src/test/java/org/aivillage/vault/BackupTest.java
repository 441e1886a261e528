package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.aivillage.betanet.crypto.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {
    @TempDir
    Path tmp;

    final byte[] key = Randomness.bytes(32);

    VaultConfig cfg(String dir) {
        return new VaultConfig(tmp.resolve(dir), new MasterKeySource.RawKey(key), true, true);
    }

    static DigitalTwin twin(String id, int n) {
        return DigitalTwin.create(id, "alice", "{\"n\":" + n + ",\"pad\":\"" + "z".repeat(n % 500) + "\"}", PrivacyLevel.PRIVATE);
    }

    @Test
    void backupIsAConsistentSnapshotWhileWritesContinueAndRestoresIntoAnEmptyDirectory() throws Exception {
        Path backup;
        int written;
        try (TwinVault v = TwinVault.open(cfg("a"))) {
            for (int i = 0; i < 50; i++) {
                v.storeTwin("alice", twin("pre" + i, i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger n = new AtomicInteger();
            Thread writer = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    int i = n.get();
                    v.storeTwin("alice", twin("during" + i, i));
                    n.incrementAndGet();
                }
            });
            while (n.get() < 20) {
                Thread.onSpinWait();
            }
            backup = v.createBackup();
            stop.set(true);
            writer.join();
            written = n.get();
            assertThat(v.receipts(1, 100_000)).anyMatch(r -> r.operation().equals("backup"));
        }
        assertThat(backup.getParent()).isEqualTo(cfg("a").backupDirectory());
        assertThat(Files.list(backup.getParent()).map(p -> p.getFileName().toString())).allMatch(s -> s.endsWith(".tvb"));

        try (TwinVault r = TwinVault.restoreInto(cfg("b"), backup)) {
            List<TwinSummary> twins = r.listTwinsForUser("alice");
            long during = twins.stream().filter(t -> t.id().startsWith("during")).count();
            assertThat(twins.stream().filter(t -> t.id().startsWith("pre"))).hasSize(50);
            assertThat(during).isBetween(20L, (long) written);
            for (TwinSummary t : twins) {
                assertThat(r.getTwin("alice", t.id()).data()).startsWith("{\"n\":");
            }
            assertThat(r.verify().ok()).isTrue();
            assertThat(r.verifyAuditLog().ok()).isTrue();
            assertThat(r.receipts(1, 100_000)).anyMatch(x -> x.operation().equals("restore"));
        }
    }

    @Test
    void restoreBringsBackTheBackedUpState() {
        try (TwinVault v = TwinVault.open(cfg("a"))) {
            v.storeTwin("alice", twin("t", 1));
            Path b = v.createBackup();
            v.updateTwin("alice", v.getTwin("alice", "t").withData("{\"n\":2}"));
            v.storeTwin("alice", twin("later", 3));
            v.restoreBackup(b);
            assertThat(v.getTwin("alice", "t").version()).isEqualTo(1);
            assertThat(v.listTwinsForUser("alice")).extracting(TwinSummary::id).containsExactly("t");
            v.updateTwin("alice", v.getTwin("alice", "t").withData("{\"n\":5}"));
            assertThat(v.getTwin("alice", "t").data()).isEqualTo("{\"n\":5}");
            assertThat(v.verifyAuditLog().ok()).isTrue();
        }
    }

    @Test
    void corruptedTruncatedOrForeignBackupsAreRefusedAndNothingChanges() throws Exception {
        Path foreign;
        try (TwinVault other = TwinVault.open(new VaultConfig(tmp.resolve("other"), new MasterKeySource.RawKey(key), true, true))) {
            other.storeTwin("alice", twin("o", 1));
            foreign = other.createBackup();
        }
        try (TwinVault v = TwinVault.open(cfg("a"))) {
            v.storeTwin("alice", twin("t", 1));
            Path good = v.createBackup();
            v.storeTwin("alice", twin("after", 2));
            byte[] bytes = Files.readAllBytes(good);

            Path flippedChunk = tmp.resolve("flipped-chunk.tvb");
            byte[] f1 = bytes.clone();
            f1[f1.length - 40] ^= 1;
            Files.write(flippedChunk, f1);
            assertThatThrownBy(() -> v.restoreBackup(flippedChunk)).isInstanceOf(BackupRejectedException.class)
                    .hasMessageContaining("failed authentication");

            Path flippedManifest = tmp.resolve("flipped-manifest.tvb");
            byte[] f2 = bytes.clone();
            f2[40] ^= 1;
            Files.write(flippedManifest, f2);
            assertThatThrownBy(() -> v.restoreBackup(flippedManifest)).isInstanceOf(BackupRejectedException.class);

            Path truncated = tmp.resolve("truncated.tvb");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
            assertThatThrownBy(() -> v.restoreBackup(truncated)).isInstanceOf(BackupRejectedException.class)
                    .hasMessageContaining("truncated");

            Path extended = tmp.resolve("extended.tvb");
            byte[] f3 = Arrays.copyOf(bytes, bytes.length + 1);
            Files.write(extended, f3);
            assertThatThrownBy(() -> v.restoreBackup(extended)).isInstanceOf(BackupRejectedException.class)
                    .hasMessageContaining("after its last chunk");

            assertThatThrownBy(() -> v.restoreBackup(foreign)).isInstanceOf(BackupRejectedException.class)
                    .hasMessageContaining("foreign");

            Path notABackup = tmp.resolve("x.tvb");
            Files.writeString(notABackup, "hello");
            assertThatThrownBy(() -> v.restoreBackup(notABackup)).isInstanceOf(BackupRejectedException.class);

            assertThat(v.listTwinsForUser("alice")).extracting(TwinSummary::id).containsExactly("after", "t");
            assertThat(v.verify().ok()).isTrue();
            try (var files = Files.list(cfg("a").storagePath())) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(s -> s.startsWith(".restore"));
            }
        }
        // Restoring into an empty directory with the wrong key is refused before anything is written.
        VaultConfig wrong = new VaultConfig(tmp.resolve("c"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, true);
        assertThatThrownBy(() -> TwinVault.restoreInto(wrong, foreign)).isInstanceOf(BackupRejectedException.class)
                .hasMessageContaining("master key");
        assertThat(Files.exists(wrong.databaseFile())).isFalse();
    }

    @Test
    void backupsCanBeDisabled() {
        VaultConfig off = new VaultConfig(tmp.resolve("off"), new MasterKeySource.RawKey(key), false, false);
        try (TwinVault v = TwinVault.open(off)) {
            assertThatThrownBy(v::createBackup).isInstanceOf(VaultException.class).hasMessageContaining("disabled");
        }
    }

    @Test
    void aBackupMadeBeforeKeyRotationNeedsTheOldKey() {
        try (TwinVault v = TwinVault.open(cfg("a"))) {
            v.storeTwin("alice", twin("t", 1));
            Path b = v.createBackup();
            v.rotateMasterKey(new MasterKeySource.RawKey(Randomness.bytes(32)));
            assertThatThrownBy(() -> v.restoreBackup(b)).isInstanceOf(BackupRejectedException.class)
                    .hasMessageContaining("key rotation");
            assertThat(v.getTwin("alice", "t").version()).isEqualTo(1);
        }
    }
}
