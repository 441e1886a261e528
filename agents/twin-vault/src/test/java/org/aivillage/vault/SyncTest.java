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
        a.addDevice("alice", "alice", b.deviceCard(), "laptop");
        b.addDevice("alice", "alice", a.deviceCard(), "phone");
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
            stranger.addDevice("alice", "alice", b.deviceCard(), "b");
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
    void anInitiatorRefusesAResponderNotOnItsListBeforeRevealingItself() {
        a.storeTwin("alice", DigitalTwin.create("t", "alice", "{\"k\":1}", PrivacyLevel.PRIVATE));
        try (TwinVault c = TwinVault.open(new VaultConfig(tmp.resolve("c"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false));
                SyncServer serverC = c.startSyncServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            c.addDevice("alice", "alice", a.deviceCard(), "a");
            assertThatThrownBy(() -> a.syncWith(serverC.address(), T)).isInstanceOf(SyncException.class)
                    .hasMessageContaining("is not a listed device").hasMessageContaining("nothing was sent");
            awaitUntil(() -> serverC.failedSessions() == 1);
            assertThat(c.listTwinsForUser("alice")).isEmpty();
        }
    }

    @Test
    void aCardWhoseSignatureDoesNotBindItsNoiseKeyIsRefused() throws Exception {
        DeviceCard good = b.deviceCard();
        assertThat(DeviceCard.fromHex(good.toHex())).isEqualTo(good);
        byte[] forged = good.encode();
        forged[40] ^= 1; // another Noise key under b's signing key
        assertThatThrownBy(() -> DeviceCard.decode(forged)).isInstanceOf(org.aivillage.betanet.codec.CodecException.class)
                .hasMessageContaining("signature");
        DeviceCard unsigned = new DeviceCard(good.signingKey(), java.util.Arrays.copyOfRange(forged, 32, 64), good.signature());
        assertThatThrownBy(() -> a.addDevice("alice", "alice", unsigned, "x")).isInstanceOf(InvalidTwinException.class)
                .hasMessageContaining("signature");
        // A second signing key cannot claim b's Noise key.
        org.aivillage.betanet.crypto.KeyPair mallory = org.aivillage.betanet.crypto.Ed25519.generateKeyPair();
        assertThatThrownBy(() -> a.addDevice("alice", "alice", DeviceCard.sign(mallory, good.noiseKey()), "m"))
                .isInstanceOf(InvalidTwinException.class).hasMessageContaining("already listed");
    }

    @Test
    void aTamperedTransportMessageAbortsTheSyncAndChangesNothing() {
        b.storeTwin("alice", DigitalTwin.create("fromB", "alice", "{\"secret\":42}", PrivacyLevel.PRIVATE));
        // Responder-to-initiator Noise messages: 0 = handshake message 2, 1 = HAVE, 2 = WANT, 3 = CHANGES.
        try (TamperProxy proxy = new TamperProxy(serverB.address(), 3)) {
            assertThatThrownBy(() -> a.syncWith(proxy.address(), T)).isInstanceOf(SyncException.class)
                    .hasMessageContaining("transport message 3 from the peer failed authentication")
                    .hasMessageContaining("session aborted");
            assertThat(proxy.tampered()).isTrue();
        }
        assertThat(a.listTwinsForUser("alice")).isEmpty();
        assertThat(a.verify().ok()).isTrue();
        assertThat(a.verifyAuditLog().ok()).isTrue();
        // The session failing changed nothing that stops a clean sync afterwards.
        SyncResult clean = sync();
        assertThat(clean.received()).isEqualTo(1);
        assertThat(a.getTwin("alice", "fromB").data()).isEqualTo("{\"secret\":42}");
    }

    @Test
    void aTamperedHandshakeFailsTheNoiseHandshake() {
        try (TamperProxy proxy = new TamperProxy(serverB.address(), 0)) {
            assertThatThrownBy(() -> a.syncWith(proxy.address(), T)).isInstanceOf(SyncException.class)
                    .hasMessageContaining("Noise handshake failed");
        }
    }

    /**
     * A loopback TCP proxy that forwards Noise frames ({@code u16 length || message}) both ways and
     * flips one bit in the {@code victim}-th frame (0-based) sent by the responder.
     */
    static final class TamperProxy implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final java.util.concurrent.atomic.AtomicBoolean tampered = new java.util.concurrent.atomic.AtomicBoolean();
        private final List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        TamperProxy(InetSocketAddress target, int victim) {
            try {
                server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread.ofVirtual().start(() -> {
                try {
                    java.net.Socket in = server.accept();
                    java.net.Socket out = new java.net.Socket(target.getAddress(), target.getPort());
                    sockets.add(in);
                    sockets.add(out);
                    Thread.ofVirtual().start(() -> pump(in, out, -1));
                    pump(out, in, victim);
                } catch (java.io.IOException e) {
                    // closed
                }
            });
        }

        private void pump(java.net.Socket from, java.net.Socket to, int victim) {
            try {
                java.io.DataInputStream r = new java.io.DataInputStream(from.getInputStream());
                java.io.DataOutputStream w = new java.io.DataOutputStream(to.getOutputStream());
                for (int i = 0; ; i++) {
                    int len = r.readUnsignedShort();
                    byte[] frame = r.readNBytes(len);
                    if (i == victim) {
                        frame[frame.length / 2] ^= 0x10;
                        tampered.set(true);
                    }
                    w.writeShort(len);
                    w.write(frame);
                    w.flush();
                }
            } catch (java.io.IOException e) {
                try {
                    to.shutdownOutput();
                } catch (java.io.IOException ignored) {
                    // already closed
                }
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        boolean tampered() {
            return tampered.get();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (java.net.Socket s : sockets) {
                    s.close();
                }
            } catch (java.io.IOException e) {
                // best effort
            }
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
