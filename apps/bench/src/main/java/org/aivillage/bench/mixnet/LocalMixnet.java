package org.aivillage.bench.mixnet;

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
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.gateway.EchoService;
import org.aivillage.betanet.gateway.Gateway;
import org.aivillage.betanet.mixnode.DirectoryServer;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.Mixnode;
import org.aivillage.betanet.mixnode.MixnodeConfig;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.betanet.mixnode.TopologySource;

/** A directory, mix layers and a gateway in this JVM on loopback, for load drivers. */
final class LocalMixnet implements AutoCloseable {
    final KeyPair authority = Ed25519.generateKeyPair();
    final DirectoryServer directory;
    final TopologySource source;
    final List<Mixnode> mixnodes = new ArrayList<>();
    final Gateway gateway;
    final LinkTransport transport;

    LocalMixnet(Path dir, int layers, int perLayer, int threadsPerNode, LinkTransport transport) throws Exception {
        this(dir, layers, perLayer, threadsPerNode, transport, Set.of());
    }

    LocalMixnet(Path dir, int layers, int perLayer, int threadsPerNode, LinkTransport transport, Set<ByteBuffer> extra)
            throws Exception {
        this.transport = transport;
        int total = layers * perLayer + 1;
        List<KeyPair> ids = new ArrayList<>();
        Set<ByteBuffer> auth = new HashSet<>();
        for (int i = 0; i < total; i++) {
            ids.add(Ed25519.generateKeyPair());
            auth.add(ByteBuffer.wrap(ids.get(i).publicKey()));
        }
        auth.addAll(extra);
        directory = new DirectoryServer(new DirectoryServer.Config(authority, new InetSocketAddress("127.0.0.1", 0), auth,
                Duration.ofHours(1), Duration.ofMinutes(30), null, Clock.systemUTC()));
        source = new TopologySource.Directory(URI.create("http://127.0.0.1:" + directory.address().getPort()));
        int i = 0;
        for (int layer = 1; layer <= layers; layer++) {
            for (int k = 0; k < perLayer; k++, i++) {
                mixnodes.add(new Mixnode(config(ids.get(i), dir, i, layer, threadsPerNode).build(), transport, null));
            }
        }
        gateway = new Gateway(config(ids.get(i), dir, i, 0, threadsPerNode).role(TopologyNode.Role.GATEWAY).asGroup(65000).build(),
                transport, Gateway.Options.defaults());
        gateway.register("echo", new EchoService());
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(gateway.node().isReady() && mixnodes.stream().allMatch(Mixnode::isReady)
                && gateway.node().topology().nodes().size() == total)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("local mixnet not ready");
            }
            Thread.sleep(20);
        }
    }

    MixnodeConfig.Builder config(KeyPair id, Path dir, int i, int layer, int threads) {
        return MixnodeConfig.builder(id).layer(layer).asGroup(64500 + i % 3).dataDir(dir.resolve("n" + i))
                .authorityKey(authority.publicKey()).topologySource(source).topologyRefresh(Duration.ofMillis(500))
                .cover(0, 0, Duration.ZERO).processingThreads(threads)
                .linkRate(1e9, 1e9).sourceRate(1e9, 1e9);
    }

    @Override
    public void close() {
        gateway.close();
        mixnodes.forEach(Mixnode::close);
        directory.close();
        transport.close();
    }
}
