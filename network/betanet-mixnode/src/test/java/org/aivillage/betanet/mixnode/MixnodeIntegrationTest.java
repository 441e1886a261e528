package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory, three mix layers and an exit on loopback TCP: forwarding, SURBs, replays, bad input, restarts, rotation. */
class MixnodeIntegrationTest {
    @TempDir
    Path dir;

    private final TcpLinkTransport transport = new TcpLinkTransport();
    private final KeyPair authority = Ed25519.generateKeyPair();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final BlockingQueue<Processed.Deliver> exits = new LinkedBlockingQueue<>();
    private DirectoryServer directory;
    private final List<KeyPair> ids = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        transport.close();
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private void startDirectory(int nodes, Duration epoch) throws Exception {
        Set<ByteBuffer> auth = new HashSet<>();
        for (int i = 0; i < nodes; i++) {
            KeyPair id = Ed25519.generateKeyPair();
            ids.add(id);
            auth.add(ByteBuffer.wrap(id.publicKey()));
        }
        directory = new DirectoryServer(new DirectoryServer.Config(authority, new InetSocketAddress("127.0.0.1", 0), auth,
                epoch, Duration.ofMinutes(10), dir.resolve("topology.bin"), Clock.systemUTC()));
        open.add(directory);
    }

    private MixnodeConfig.Builder config(int i, int layer, Duration epoch) {
        return MixnodeConfig.builder(ids.get(i)).layer(layer).asGroup(64500 + i)
                .role(layer == 0 ? TopologyNode.Role.GATEWAY : TopologyNode.Role.MIX)
                .dataDir(dir.resolve("node" + i)).authorityKey(authority.publicKey())
                .topologySource(new TopologySource.Directory(URI.create("http://127.0.0.1:" + directory.address().getPort())))
                .keyEpochLength(epoch).keyOverlap(epoch.dividedBy(2)).topologyRefresh(Duration.ofMillis(200))
                .cover(0, 0, Duration.ZERO).processingThreads(1);
    }

    private Mixnode start(MixnodeConfig cfg) throws Exception {
        Mixnode m = new Mixnode(cfg, transport, cfg.role() == TopologyNode.Role.GATEWAY ? exits::add : null);
        open.add(m);
        return m;
    }

    /** Starts L1, L2, L3 and an exit; waits until all see a topology with all four. */
    private List<Mixnode> network(Duration epoch) throws Exception {
        startDirectory(4, epoch);
        List<Mixnode> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(start(config(i, i + 1, epoch).build()));
        }
        nodes.add(start(config(3, 0, epoch).build()));
        await("all nodes ready", () -> nodes.stream().allMatch(n -> n.isReady() && n.topology().nodes().size() == 4));
        return nodes;
    }

    private static List<Hop> hops(Topology t, List<Mixnode> via, int delayMs) {
        long epoch = t.keyEpochAt(java.time.Instant.now());
        List<Hop> path = new ArrayList<>();
        for (Mixnode m : via) {
            TopologyNode n = t.node(m.routeId()).orElseThrow();
            path.add(new Hop(n.routeId(), n.keyFor(epoch).orElseThrow().publicKey(), (int) (epoch & 0xff), delayMs));
        }
        return path;
    }

    private Link connect(Mixnode entry, BlockingQueue<LinkFrame> received) throws Exception {
        Link link = transport.connect("127.0.0.1:" + entry.linkAddress().getPort(), (l, f) -> received.add(f), Duration.ofSeconds(5));
        open.add(link);
        return link;
    }

    @Test
    void forwardsThroughThreeLayersToTheExitAndRepliesThroughASurb() throws Exception {
        List<Mixnode> n = network(Duration.ofHours(1));
        Topology t = n.get(0).topology();
        BlockingQueue<LinkFrame> toClient = new LinkedBlockingQueue<>();
        Link link = connect(n.get(0), toClient);
        RouteId mailbox = new RouteId(Randomness.bytes(8)[0] | 0x1234L, 0);
        link.send(new LinkFrame.Register(mailbox));

        RouteId surbId = new RouteId(mailbox.hi(), 42);
        Sphinx.SurbAndSecrets surb = Sphinx.createSurb(hops(t, List.of(n.get(0), n.get(1), n.get(2), n.get(0)), 5),
                surbId, Sphinx.RandomSource.SECURE);
        byte[] msg = "ping through three layers".getBytes();
        byte[] packet = Sphinx.createPacket(hops(t, List.of(n.get(0), n.get(1), n.get(2), n.get(3)), 5),
                Sphinx.Command.DELIVER, RouteId.random(), msg, Sphinx.RandomSource.SECURE);
        link.send(new LinkFrame.Packet(packet));
        Processed.Deliver d = exits.poll(10, TimeUnit.SECONDS);
        assertThat(d).isNotNull();
        assertThat(new String(d.message(), 0, msg.length)).isEqualTo("ping through three layers");

        // The exit answers along the SURB; the provider (L1) hands the reply to the registered client.
        byte[] reply = Sphinx.packetFromSurb(surb.surb(), "pong".getBytes());
        assertThat(n.get(3).send(surb.surb().firstHop(), reply)).isTrue();
        LinkFrame f = toClient.poll(10, TimeUnit.SECONDS);
        assertThat(f).isInstanceOf(LinkFrame.Reply.class);
        LinkFrame.Reply r = (LinkFrame.Reply) f;
        assertThat(r.surbId()).isEqualTo(surbId);
        assertThat(new String(Sphinx.openReply(surb.secrets(), r.payload()), 0, 4)).isEqualTo("pong");

        // The SURB is single-use: a second reply along it is refused as a replay at the first hop.
        long before = n.get(0).stats().replayed();
        n.get(3).send(surb.surb().firstHop(), Sphinx.packetFromSurb(surb.surb(), "again".getBytes()));
        await("SURB reuse refused", () -> n.get(0).stats().replayed() == before + 1);
        assertThat(toClient.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void replaysBadPacketsUnknownHopsAndFloodsAreDroppedAndCountedWhileServing() throws Exception {
        List<Mixnode> n = network(Duration.ofHours(1));
        Topology t = n.get(0).topology();
        BlockingQueue<LinkFrame> ignored = new LinkedBlockingQueue<>();
        Link link = connect(n.get(0), ignored);
        Mixnode l1 = n.get(0);

        byte[] packet = Sphinx.createPacket(hops(t, List.of(n.get(0), n.get(3)), 0), Sphinx.Command.DELIVER,
                RouteId.random(), new byte[] {1}, Sphinx.RandomSource.SECURE);
        link.send(new LinkFrame.Packet(packet));
        link.send(new LinkFrame.Packet(packet));
        await("replay refused", () -> l1.stats().replayed() == 1);
        assertThat(exits.poll(5, TimeUnit.SECONDS)).isNotNull();

        link.send(new LinkFrame.Packet(Randomness.bytes(Sphinx.PACKET_LENGTH)));
        byte[] bad = Sphinx.createPacket(hops(t, List.of(n.get(0), n.get(3)), 0), Sphinx.Command.DELIVER,
                RouteId.random(), new byte[] {2}, Sphinx.RandomSource.SECURE);
        bad[100] ^= 1;
        link.send(new LinkFrame.Packet(bad));
        // A hop that is not in the topology.
        List<Hop> unknown = new ArrayList<>(hops(t, List.of(n.get(0)), 0));
        unknown.add(new Hop(RouteId.random(), org.aivillage.betanet.crypto.X25519.generateKeyPair().publicKey(), 0, 0));
        link.send(new LinkFrame.Packet(Sphinx.createPacket(unknown, Sphinx.Command.DELIVER, RouteId.random(), new byte[0],
                Sphinx.RandomSource.SECURE)));
        await("bad input counted", () -> l1.stats().dropReasons().getOrDefault("unknown_next_hop", 0L) == 1
                && l1.stats().dropped() >= 3);
        assertThat(l1.stats().dropReasons()).containsKey("bad_gamma");

        // Still serving.
        link.send(new LinkFrame.Packet(Sphinx.createPacket(hops(t, List.of(n.get(0), n.get(3)), 0), Sphinx.Command.DELIVER,
                RouteId.random(), new byte[] {3}, Sphinx.RandomSource.SECURE)));
        assertThat(exits.poll(5, TimeUnit.SECONDS).message()[0]).isEqualTo((byte) 3);

        // Metrics and health are served over HTTP.
        assertThat(n.get(1).adminAddress()).isEmpty();
    }

    @Test
    void aFloodFromOneLinkIsRateLimitedAndMemoryStaysBounded() throws Exception {
        Duration epoch = Duration.ofHours(1);
        startDirectory(2, epoch);
        Mixnode node = start(config(0, 1, epoch).linkRate(100, 50).inboundQueue(64)
                .admin(new InetSocketAddress("127.0.0.1", 0)).build());
        start(config(1, 0, epoch).build());
        await("ready", () -> node.isReady() && node.topology().nodes().size() == 2);
        Link link = connect(node, new LinkedBlockingQueue<>());
        byte[] junk = Randomness.bytes(Sphinx.PACKET_LENGTH);
        for (int i = 0; i < 2000; i++) {
            link.send(new LinkFrame.Packet(junk));
        }
        await("flood accounted", () -> node.stats().packetsIn() >= 2000);
        Mixnode.Stats s = node.stats();
        assertThat(s.dropReasons().get("rate_limited_link")).isGreaterThan(1000L);
        assertThat(s.dropped()).isEqualTo(2000);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + node.adminAddress().orElseThrow().getPort();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("mixnode_packets_in_total").contains("mixnode_packets_dropped_total{reason=\"rate_limited_link\"}")
                .contains("mixnode_queue_depth_inbound").contains("mixnode_delay_seconds_bucket");
    }

    @Test
    void aRestartWithinTheEpochStillRefusesReplays() throws Exception {
        List<Mixnode> n = network(Duration.ofHours(1));
        Topology t = n.get(0).topology();
        byte[] packet = Sphinx.createPacket(hops(t, List.of(n.get(0), n.get(3)), 0), Sphinx.Command.DELIVER,
                RouteId.random(), new byte[] {7}, Sphinx.RandomSource.SECURE);
        Link link = connect(n.get(0), new LinkedBlockingQueue<>());
        link.send(new LinkFrame.Packet(packet));
        assertThat(exits.poll(5, TimeUnit.SECONDS)).isNotNull();

        n.get(0).close();
        Mixnode again = start(config(0, 1, Duration.ofHours(1)).build());
        await("restarted node ready", again::isReady);
        Link link2 = connect(again, new LinkedBlockingQueue<>());
        link2.send(new LinkFrame.Packet(packet));
        await("replay after restart refused", () -> again.stats().replayed() == 1);
        assertThat(exits.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void keysRotateByEpochAndTheOldKeyStillWorksDuringTheOverlap() throws Exception {
        Duration epoch = Duration.ofSeconds(3);
        List<Mixnode> n = network(epoch);
        Mixnode l1 = n.get(0);
        // Wait for a fresh epoch so the test has most of it ahead.
        long e0 = Math.floorDiv(System.currentTimeMillis(), 3000);
        await("epoch boundary", () -> Math.floorDiv(System.currentTimeMillis(), 3000) > e0);
        Topology t = l1.topology();
        long e1 = e0 + 1;
        await("topology lists the new epoch's keys",
                () -> l1.topology().node(l1.routeId()).flatMap(x -> x.keyFor(e1 + 1)).isPresent());
        byte[] oldKeyPacket = Sphinx.createPacket(hops(l1.topology(), List.of(n.get(0), n.get(3)), 0),
                Sphinx.Command.DELIVER, RouteId.random(), new byte[] {9}, Sphinx.RandomSource.SECURE);
        // Cross into the next epoch; within its overlap half the old key still opens packets.
        await("next epoch", () -> Math.floorDiv(System.currentTimeMillis(), 3000) == e1 + 1);
        Link link = connect(l1, new LinkedBlockingQueue<>());
        link.send(new LinkFrame.Packet(oldKeyPacket));
        Processed.Deliver d = exits.poll(5, TimeUnit.SECONDS);
        assertThat(d).as("packet built with the previous epoch's key, sent during the overlap").isNotNull();
        assertThat(t.keyEpochLength()).isEqualTo(epoch);
        // After the overlap the old key is gone: the same kind of packet is refused.
        byte[] stale = Sphinx.createPacket(hops(l1.topology(), List.of(n.get(0), n.get(3)), 0), Sphinx.Command.DELIVER,
                RouteId.random(), new byte[] {10}, Sphinx.RandomSource.SECURE);
        long builtIn = Math.floorDiv(System.currentTimeMillis(), 3000);
        await("two epochs later", () -> Math.floorDiv(System.currentTimeMillis(), 3000) >= builtIn + 2);
        long before = l1.stats().dropped();
        link.send(new LinkFrame.Packet(stale));
        await("stale key refused", () -> l1.stats().dropped() > before);
        assertThat(l1.stats().dropReasons()).containsKey("bad_keyPhase");
    }
}
