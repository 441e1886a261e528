package org.aivillage.betanet.mixnode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.aivillage.betanet.crypto.KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory authority: accepts descriptors signed by authorised node identities (POST
 * /descriptor), and serves the current topology signed with the authority key (GET /topology), on
 * its admin HTTP server beside /health, /ready and /metrics. Optionally mirrors the signed topology
 * to a file, so clients can also load it from disk.
 */
public final class DirectoryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectoryServer.class);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** Directory settings. {@code authorised} lists the Ed25519 identity keys allowed to register. */
    public record Config(KeyPair authority, InetSocketAddress bind, Set<ByteBuffer> authorised, Duration keyEpochLength,
                         Duration topologyLifetime, Path mirrorFile, Clock clock) {
        public Config {
            authorised = Set.copyOf(authorised);
        }
    }

    private final Config config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<ByteBuffer, TopologyCodec.Descriptor> descriptors = new ConcurrentHashMap<>();
    private final AdminServer http;
    private final Counter accepted;
    private final Counter refused;
    private long serial;
    private byte[] cached;
    private Instant cachedAt = Instant.EPOCH;
    private boolean dirty = true;

    public DirectoryServer(Config config) throws IOException {
        this.config = config;
        this.accepted = Counter.builder("directory_descriptors_accepted").register(registry);
        this.refused = Counter.builder("directory_descriptors_refused").register(registry);
        registry.gauge("directory_nodes", descriptors, Map::size);
        this.http = new AdminServer(config.bind(), registry, () -> !descriptors.isEmpty());
        http.route("/topology", ex -> {
            byte[] doc = currentDocument();
            AdminServer.respond(ex, 200, "application/octet-stream", doc);
        });
        http.route("/descriptor", ex -> {
            if (!"POST".equals(ex.getRequestMethod())) {
                AdminServer.respond(ex, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes(TopologyCodec.MAX_DOCUMENT + 1);
            String problem = accept(body);
            AdminServer.respond(ex, problem == null ? 200 : 400, "text/plain",
                    ((problem == null ? "accepted" : problem) + "\n").getBytes(StandardCharsets.UTF_8));
        });
        log.info("directory listening on {}", http.address());
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** Validates and stores a descriptor; returns null when accepted, else the reason. */
    public String accept(byte[] signedDescriptor) {
        TopologyCodec.Descriptor d;
        try {
            d = TopologyCodec.verifyDescriptor(signedDescriptor);
        } catch (TopologyException e) {
            refused.increment();
            return "descriptor refused: " + e.getMessage();
        }
        ByteBuffer id = ByteBuffer.wrap(d.node().identityKey());
        Instant now = config.clock().instant();
        if (!config.authorised().contains(id)) {
            refused.increment();
            return "descriptor refused: identity " + d.node().routeId().shortString() + " is not authorised";
        }
        if (Duration.between(d.issuedAt(), now).abs().compareTo(MAX_SKEW) > 0) {
            refused.increment();
            return "descriptor refused: issuedAt too far from the directory's clock";
        }
        synchronized (this) {
            TopologyCodec.Descriptor old = descriptors.get(id);
            if (old != null && old.issuedAt().isAfter(d.issuedAt())) {
                refused.increment();
                return "descriptor refused: older than the one held";
            }
            if (old == null || !old.node().equals(d.node())) {
                dirty = true;
            }
            descriptors.put(id, d);
        }
        accepted.increment();
        return null;
    }

    /** The current signed topology (re-signed when nodes changed or a quarter of its lifetime passed). */
    public synchronized byte[] currentDocument() throws IOException {
        Instant now = config.clock().instant();
        Duration life = config.topologyLifetime();
        if (cached != null && !dirty && now.isBefore(cachedAt.plus(life.dividedBy(4)))) {
            return cached;
        }
        long epoch = Math.floorDiv(now.getEpochSecond(), config.keyEpochLength().toSeconds());
        List<TopologyNode> nodes = new ArrayList<>();
        for (TopologyCodec.Descriptor d : descriptors.values()) {
            List<TopologyNode.EpochKey> keys = d.node().sphinxKeys().stream().filter(k -> k.epoch() >= epoch - 1)
                    .collect(Collectors.toList());
            nodes.add(d.node().withKeys(keys));
        }
        nodes.sort(Comparator.comparing((TopologyNode n) -> n.role()).thenComparingInt(TopologyNode::layer)
                .thenComparing(n -> n.routeId().toString()));
        Topology t = new Topology(++serial, now, now.plus(life), config.keyEpochLength(), nodes);
        byte[] priv = config.authority().privateKey();
        cached = TopologyCodec.signTopology(t, priv);
        java.util.Arrays.fill(priv, (byte) 0);
        cachedAt = now;
        dirty = false;
        if (config.mirrorFile() != null) {
            Path tmp = config.mirrorFile().resolveSibling(config.mirrorFile().getFileName() + ".tmp");
            Files.write(tmp, cached);
            Files.move(tmp, config.mirrorFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return cached;
    }

    @Override
    public void close() {
        http.close();
        registry.close();
    }
}
