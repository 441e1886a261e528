package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.internal.CrdtPropertyTest;
import org.aivillage.vault.internal.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two vaults of one owner converge by syncing over real loopback TCP connections. */
class SyncTest {
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    TwinVault a;
    TwinVault b;
    SyncServer serverB;

    @BeforeEach
    void open() {
        a = TwinVault.open(new VaultConfig(tmp.resolve("a"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, true));
        b = TwinVault.open(new VaultConfig(tmp.resolve("b"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false));
        a.addDevice("alice", "alice", b.devicePublicKey(), "laptop");
        b.addDevice("alice", "alice", a.devicePublicKey(), "phone");
        serverB = b.startSyncServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() {
        serverB.close();
        a.close();
        b.close();
    }

    SyncResult sync() {
        return a.syncWith(serverB.address(), T);
    }

    @Test
    void concurrentEditsOnTwoDevicesConverge() {
        a.storeTwin("alice", DigitalTwin.create("profile", "alice", "{\"name\":\"Al\",\"prefs\":{\"tea\":true}}", PrivacyLevel.PRIVATE));
        SyncResult first = sync();
        assertThat(first.sent()).isEqualTo(1);
        assertThat(first.twinsChanged()).isEmpty();
        DigitalTwin onB = b.getTwin("alice", "profile");
        assertThat(onB.data()).isEqualTo("{\"name\":\"Al\",\"prefs\":{\"tea\":true}}");
        assertThat(b.history("alice", "profile").getFirst().author()).startsWith("device:");

        a.updateTwin("alice", a.getTwin("alice", "profile").withData("{\"name\":\"Al\",\"prefs\":{\"tea\":false}}"));
        b.updateTwin("alice", onB.withData("{\"name\":\"Alice\",\"prefs\":{\"tea\":true,\"coffee\":1}}")
                .withPrivacyLevel(PrivacyLevel.CONFIDENTIAL));
        SyncResult second = sync();
        assertThat(second.sent()).isEqualTo(1);
        assertThat(second.received()).isEqualTo(1);
        assertThat(second.twinsChanged()).containsExactly("profile");
        DigitalTwin x = a.getTwin("alice", "profile");
        DigitalTwin y = b.getTwin("alice", "profile");
        assertThat(x.data()).isEqualTo(y.data()).isEqualTo("{\"name\":\"Alice\",\"prefs\":{\"coffee\":1,\"tea\":false}}");
        assertThat(x.privacyLevel()).isEqualTo(y.privacyLevel()).isEqualTo(PrivacyLevel.CONFIDENTIAL);

        SyncResult idle = sync();
        assertThat(idle.sent()).isZero();
        assertThat(idle.received()).isZero();
        awaitUntil(() -> serverB.completedSessions() == 3);
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", T).isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void sameKeyEditedOnBothSidesPicksOneWinnerEverywhere() {
        a.storeTwin("alice", DigitalTwin.create("t", "alice", "{\"k\":0}", PrivacyLevel.PRIVATE));
        sync();
        a.updateTwin("alice", a.getTwin("alice", "t").withData("{\"k\":\"from a\"}"));
        b.updateTwin("alice", b.getTwin("alice", "t").withData("{\"k\":\"from b\"}"));
        sync();
        assertThat(a.getTwin("alice", "t").data()).isEqualTo(b.getTwin("alice", "t").data()).isIn("{\"k\":\"from a\"}", "{\"k\":\"from b\"}");
    }

    @Test
    void deletionPropagatesAsCryptoErasure() {
        a.storeTwin("alice", DigitalTwin.create("t", "alice", "{\"k\":1}", PrivacyLevel.PRIVATE));
        sync();
        b.deleteTwin("alice", "t");
        sync();
        assertThatThrownBy(() -> a.getTwin("alice", "t")).isInstanceOf(TwinNotFoundException.class).hasMessageContaining("deleted");
        SyncResult again = sync();
        assertThat(again.sent() + again.received()).isZero();
    }

    @Test
    void aDeviceNotOnTheOwnersListIsRefused() throws Exception {
        a.storeTwin("alice", DigitalTwin.create("t", "alice", "{}", PrivacyLevel.PRIVATE));
        try (TwinVault stranger = TwinVault.open(new VaultConfig(tmp.resolve("s"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false))) {
            stranger.addDevice("alice", "alice", b.devicePublicKey(), "b");
            assertThatThrownBy(() -> stranger.syncWith(serverB.address(), T)).isInstanceOf(SyncException.class)
                    .hasMessageContaining("does not list your device");
            assertThat(stranger.listTwinsForUser("alice")).isEmpty();
            // Bob's twins are not shared with alice's devices.
            a.storeTwin("bob", DigitalTwin.create("bobs", "bob", "{}", PrivacyLevel.PRIVATE));
            sync();
            assertThat(b.listTwinsForUser("bob")).isEmpty();
            assertThat(b.listTwinsForUser("alice")).extracting(TwinSummary::id).containsExactly("t");
        }
    }

    @Test
    void randomConcurrentEditsConvergeWhateverTheSyncPattern() {
        Random r = new Random(42);
        a.storeTwin("alice", DigitalTwin.create("t", "alice", "{}", PrivacyLevel.PRIVATE));
        sync();
        SyncServer serverA = a.startSyncServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try {
            for (int round = 0; round < 12; round++) {
                for (TwinVault v : List.of(a, b)) {
                    for (int k = r.nextInt(3); k > 0; k--) {
                        DigitalTwin cur = v.getTwin("alice", "t");
                        ObjectNode next = CrdtPropertyTest.mutate(r, Json.parseObject(cur.data()));
                        v.updateTwin("alice", cur.withData(Json.canonical(next)));
                        assertThat(Json.parse(v.getTwin("alice", "t").data())).isEqualTo(Json.sorted(next));
                    }
                }
                if (r.nextInt(3) == 0) {
                    if (r.nextBoolean()) {
                        a.syncWith(serverB.address(), T);
                    } else {
                        b.syncWith(serverA.address(), T);
                    }
                }
            }
            b.syncWith(serverA.address(), T);
            assertThat(a.getTwin("alice", "t").data()).isEqualTo(b.getTwin("alice", "t").data());
            assertThat(a.verify().ok()).isTrue();
            assertThat(b.verify().ok()).isTrue();
        } finally {
            serverA.close();
        }
    }
}
