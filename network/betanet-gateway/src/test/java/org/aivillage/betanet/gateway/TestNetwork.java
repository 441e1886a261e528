package org.aivillage.betanet.gateway;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.ClientConfig;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.DirectoryServer;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.Mixnode;
import org.aivillage.betanet.mixnode.MixnodeConfig;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.betanet.mixnode.TopologySource;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;

/** A directory, {@code layers} x {@code perLayer} mixnodes and one gateway on loopback, in this JVM. */
final class TestNetwork implements AutoCloseable {
    final LinkTransport transport;
    final KeyPair authority = Ed25519.generateKeyPair();
    final DirectoryServer directory;
    final List<Mixnode> mixnodes = new ArrayList<>();
    final Gateway gateway;
    final TopologySource source;

    private final List<LinkTransport> nodeTransports = new ArrayList<>();

    TestNetwork(Path dir, int layers, int perLayer, LinkTransport transport) throws Exception {
        this(dir, layers, perLayer, transport, () -> transport);
    }

    /** Nodes get their own transport from {@code perNode}; the client side uses {@code transport}. */
    TestNetwork(Path dir, int layers, int perLayer, LinkTransport transport,
                java.util.function.Supplier<LinkTransport> perNode) throws Exception {
        this.transport = transport;
        int total = layers * perLayer + 1;
        List<KeyPair> ids = new ArrayList<>();
        Set<ByteBuffer> auth = new HashSet<>();
        for (int i = 0; i < total; i++) {
            KeyPair id = Ed25519.generateKeyPair();
            ids.add(id);
            auth.add(ByteBuffer.wrap(id.publicKey()));
        }
        directory = new DirectoryServer(new DirectoryServer.Config(authority, new InetSocketAddress("127.0.0.1", 0), auth,
                Duration.ofHours(1), Duration.ofMinutes(10), null, Clock.systemUTC()));
        source = new TopologySource.Directory(URI.create("http://127.0.0.1:" + directory.address().getPort()));
        int i = 0;
        for (int layer = 1; layer <= layers; layer++) {
            for (int k = 0; k < perLayer; k++, i++) {
                LinkTransport t = perNode.get();
                nodeTransports.add(t);
                mixnodes.add(new Mixnode(node(ids.get(i), dir, i, layer).build(), t, null));
            }
        }
        LinkTransport gt = perNode.get();
        nodeTransports.add(gt);
        gateway = new Gateway(node(ids.get(i), dir, i, 0).role(TopologyNode.Role.GATEWAY).asGroup(64999).build(),
                gt, Gateway.Options.defaults());
        gateway.register("echo", new EchoService());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(gateway.node().isReady() && mixnodes.stream().allMatch(Mixnode::isReady)
                && gateway.node().topology().nodes().size() == total)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("test network did not become ready");
            }
            Thread.sleep(20);
        }
    }

    TestNetwork(Path dir, int layers, int perLayer) throws Exception {
        this(dir, layers, perLayer, new TcpLinkTransport());
    }

    private MixnodeConfig.Builder node(KeyPair id, Path dir, int i, int layer) {
        return MixnodeConfig.builder(id).layer(layer).asGroup(64500 + i % 3).dataDir(dir.resolve("n" + i))
                .authorityKey(authority.publicKey()).topologySource(new TopologySource.Directory(
                        URI.create("http://127.0.0.1:" + directory.address().getPort())))
                .topologyRefresh(Duration.ofMillis(200)).cover(0, 0, Duration.ZERO).processingThreads(1);
    }

    ClientConfig.Builder clientConfig() {
        return ClientConfig.builder(source, authority.publicKey(), transport).sourceAsGroup(64510).coverTraffic(false)
                .requestTimeout(Duration.ofSeconds(20));
    }

    BetaNetClient client() throws Exception {
        BetaNetClient c = new BetaNetClient(clientConfig().build());
        c.connect();
        return c;
    }

    @Override
    public void close() {
        gateway.close();
        mixnodes.forEach(Mixnode::close);
        directory.close();
        nodeTransports.forEach(LinkTransport::close);
        transport.close();
    }
}
