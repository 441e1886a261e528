package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtnNodeTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoNodesDeliverOverTcpclWithDeliveryReceipt() throws Exception {
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).build());
                DtnNode b = Nodes.start(Nodes.config("b", dir).build())) {
            a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
            BundleId id = a.sendBundle(SendRequest.to(EndpointId.parse("dtn://b/inbox"), utf8("hello b"))
                    .withDeliveryReceipt(true).withPriority(2));
            Optional<ReceivedBundle> got = b.receiveBundle(EndpointId.parse("dtn://b/inbox"), Duration.ofSeconds(10));
            assertThat(got).isPresent();
            assertThat(got.get().payload()).isEqualTo(utf8("hello b"));
            assertThat(got.get().source()).isEqualTo(EndpointId.parse("dtn://a/"));
            assertThat(got.get().priority()).isEqualTo(2);
            assertThat(got.get().id()).isEqualTo(id);
            Nodes.await("delivery receipt at a", Duration.ofSeconds(10),
                    () -> a.getBundleStatus(id).state() == BundleStatus.State.DELIVERED);
            // The receipt can overtake the transfer's acknowledgement; a drops its copy on the latter.
            Nodes.await("a drops its copy once b acknowledged", Duration.ofSeconds(10), () -> a.pendingBundles() == 0);
            assertThat(a.getBundleStatus(id).transmissions()).isEqualTo(1);
            // b's receipt bundle leaves b's store once a acknowledged it.
            Nodes.await("b's store empties", Duration.ofSeconds(10), () -> b.storedBundles() == 0);
        }
    }

    @Test
    void handlerRegistrationAndRestartResumesStoredBundles() throws Exception {
        NodeConfig cfgA = Nodes.config("a", dir).build();
        BundleId id;
        try (DtnNode a = Nodes.start(cfgA)) {
            id = a.sendBundle(SendRequest.to(EndpointId.parse("dtn://c/x"), utf8("kept")));
            assertThat(a.getBundleStatus(id).state()).isEqualTo(BundleStatus.State.PENDING);
        }
        try (DtnNode a = Nodes.start(cfgA); DtnNode c = Nodes.start(Nodes.config("c", dir).build())) {
            assertThat(a.pendingBundles()).isEqualTo(1);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            c.register(EndpointId.parse("dtn://c/x"), r -> seen.add(new String(r.payload(), StandardCharsets.UTF_8)));
            c.connect(a.tcpclAddress(), Duration.ofSeconds(5));
            Nodes.await("resumed bundle delivered", Duration.ofSeconds(10), () -> seen.contains("kept"));
            Nodes.await("a drops the delivered bundle", Duration.ofSeconds(10), () -> a.pendingBundles() == 0);
        }
    }

    @Test
    void fullStoreRefusesWithClearErrorAndEvictsLowerPriorityFirst() throws Exception {
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).maxStorageBytes(3000).build())) {
            EndpointId far = EndpointId.parse("dtn://far/x");
            BundleId bulk = a.sendBundle(SendRequest.to(far, new byte[900]).withPriority(0));
            a.sendBundle(SendRequest.to(far, new byte[900]).withPriority(1));
            a.sendBundle(SendRequest.to(far, new byte[900]).withPriority(1));
            assertThatThrownBy(() -> a.sendBundle(SendRequest.to(far, new byte[900]).withPriority(0)))
                    .isInstanceOf(StoreFullException.class).hasMessageContaining("full");
            BundleId urgent = a.sendBundle(SendRequest.to(far, new byte[900]).withPriority(2));
            assertThat(a.getBundleStatus(bulk).state()).isEqualTo(BundleStatus.State.DELETED);
            assertThat(a.getBundleStatus(bulk).reason()).isEqualTo(StatusReason.DEPLETED_STORAGE);
            assertThat(a.getBundleStatus(urgent).state()).isEqualTo(BundleStatus.State.PENDING);
            assertThat(a.storedBytes()).isLessThanOrEqualTo(3000);
            assertThatThrownBy(() -> a.sendBundle(SendRequest.to(far, new byte[5000]).withPriority(2)))
                    .isInstanceOf(StoreFullException.class).hasMessageContaining("exceeds");
        }
    }

    @Test
    void expiredBundlesAreDeleted() throws Exception {
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).build())) {
            BundleId id = a.sendBundle(SendRequest.to(EndpointId.parse("dtn://nowhere/x"), utf8("short"))
                    .withTtl(Duration.ofMillis(300)));
            Nodes.await("expiry", Duration.ofSeconds(5), () -> a.getBundleStatus(id).state() == BundleStatus.State.DELETED);
            assertThat(a.getBundleStatus(id).reason()).isEqualTo(StatusReason.LIFETIME_EXPIRED);
            Nodes.await("store emptied", Duration.ofSeconds(5), () -> a.storedBundles() == 0);
        }
    }

    @Test
    void largeBundlesAreFragmentedOverUdpAndReassembled() throws Exception {
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).udpPort(0).build());
                DtnNode b = Nodes.start(Nodes.config("b", dir).udpPort(0).build())) {
            a.connect("udpcl", "127.0.0.1:" + b.udpPort(), EndpointId.parse("dtn://b/"), Duration.ofSeconds(1));
            byte[] big = new byte[150_000];
            new java.util.Random(3).nextBytes(big);
            a.sendBundle(SendRequest.to(EndpointId.parse("dtn://b/big"), big));
            Optional<ReceivedBundle> got = b.receiveBundle(EndpointId.parse("dtn://b/big"), Duration.ofSeconds(10));
            assertThat(got).isPresent();
            assertThat(got.get().payload()).isEqualTo(big);
        }
    }

    @Test
    void bpsecSignedAndEncryptedEndToEnd() throws Exception {
        byte[] hmacKey = new byte[32];
        byte[] aesKey = new byte[32];
        java.util.Arrays.fill(hmacKey, (byte) 7);
        java.util.Arrays.fill(aesKey, (byte) 9);
        EndpointId aId = EndpointId.parse("dtn://a/");
        BpsecConfig secA = new BpsecConfig(Map.of(aId, hmacKey), Map.of(aId, aesKey), true, true, false);
        BpsecConfig secB = new BpsecConfig(Map.of(aId, hmacKey), Map.of(aId, aesKey), false, false, true);
        BpsecConfig wrongB = new BpsecConfig(Map.of(aId, new byte[32]), Map.of(aId, aesKey), false, false, true);
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).security(secA).build());
                DtnNode b = Nodes.start(Nodes.config("b", dir).security(secB).build());
                DtnNode c = Nodes.start(Nodes.config("c", dir).security(wrongB).build())) {
            a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
            a.connect(c.tcpclAddress(), Duration.ofSeconds(5));
            a.sendBundle(SendRequest.to(EndpointId.parse("dtn://b/s"), utf8("secret")));
            assertThat(b.receiveBundle(EndpointId.parse("dtn://b/s"), Duration.ofSeconds(10)).map(r -> new String(r.payload(),
                    StandardCharsets.UTF_8))).hasValue("secret");
            a.sendBundle(SendRequest.to(EndpointId.parse("dtn://c/s"), utf8("secret")));
            assertThat(c.receiveBundle(EndpointId.parse("dtn://c/s"), Duration.ofSeconds(2))).isEmpty();
            assertThat(c.meters().counter("dtn.bundles.refused").count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void unknownBlocksAreHandledPerTheirFlags() throws Exception {
        try (DtnNode b = Nodes.start(Nodes.config("b", dir).build());
                TcpclConvergenceLayer raw = new TcpclConvergenceLayer(EndpointId.parse("dtn://raw/"),
                        java.net.InetAddress.getLoopbackAddress(), -1, TcpclOptions.defaults())) {
            raw.start(new TcpclTest.Recorder());
            ClaLink link = raw.connect(b.tcpclAddress(), null, Duration.ofSeconds(5));
            EndpointId inbox = EndpointId.parse("dtn://b/in");
            Bundle keep = Bundle.builder().source(EndpointId.parse("dtn://raw/")).destination(inbox)
                    .creationTimestamp(new CreationTimestamp(900_000_000_000L, 1)).payload(utf8("keep"))
                    .extensionBlock(new CanonicalBlock(200, 5, BlockFlags.DISCARD_IF_UNPROCESSABLE, CrcType.CRC32C, new byte[] {1}))
                    .extensionBlock(new CanonicalBlock(201, 6, 0, CrcType.CRC32C, new byte[] {2})).build();
            Bundle drop = Bundle.builder().source(EndpointId.parse("dtn://raw/")).destination(inbox)
                    .creationTimestamp(new CreationTimestamp(900_000_000_000L, 2)).payload(utf8("drop"))
                    .extensionBlock(new CanonicalBlock(202, 5, BlockFlags.DELETE_BUNDLE_IF_UNPROCESSABLE, CrcType.NONE,
                            new byte[0])).build();
            link.send(BundleCodec.encode(drop), Duration.ofSeconds(5));
            link.send(BundleCodec.encode(keep), Duration.ofSeconds(5));
            ReceivedBundle r = b.receiveBundle(inbox, Duration.ofSeconds(10)).orElseThrow();
            assertThat(r.payload()).isEqualTo(utf8("keep"));
            assertThat(r.bundle().block(200)).isEmpty();
            assertThat(r.bundle().block(201)).isPresent();
            assertThat(b.receiveBundle(inbox, Duration.ofMillis(300))).isEmpty();
            // A malformed bundle is refused at the TCPCL level and changes nothing.
            byte[] bad = BundleCodec.encode(keep);
            bad[bad.length - 3] ^= 0x40;
            assertThatThrownBy(() -> link.send(bad, Duration.ofSeconds(5))).isInstanceOf(BundleRefusedException.class);
            assertThat(b.storedBundles()).isZero();
        }
    }

    @Test
    void rejectsSourceOfAnotherNode() throws Exception {
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).build())) {
            assertThatThrownBy(() -> a.sendBundle(SendRequest.to(EndpointId.parse("dtn://b/x"), new byte[1])
                    .withSource(EndpointId.parse("dtn://z/y")))).isInstanceOf(IllegalArgumentException.class);
            assertThat(List.of(a.nodeId())).containsExactly(EndpointId.parse("dtn://a/"));
        }
    }
}
