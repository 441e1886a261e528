package org.aivillage.betanet.mixnode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.internal.NodeStore;
import org.aivillage.betanet.mixnode.internal.ReplayGuard;
import org.aivillage.betanet.mixnode.internal.SphinxKeyManager;
import org.aivillage.betanet.mixnode.internal.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mixnode: accepts links, unwraps Sphinx packets on a pool of processing threads, refuses
 * replays (per key epoch, persisted), holds each packet for its sender-chosen exponential delay,
 * forwards over pooled links, hands SURB replies to the clients that registered their mailbox here,
 * gives exit payloads to a {@link DeliveryHandler} (the gateway), sends Loopix loop and drop cover
 * traffic, rotates its Sphinx keys by epoch, registers with the directory and follows its topology.
 * Bad input (wrong sizes, bad MACs, replays, unknown next hops, floods) is dropped and counted.
 */
public final class Mixnode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mixnode.class);
    private static final int MAX_MAILBOXES = 100_000;
    private static final int MAX_MAILBOXES_PER_LINK = 256;
    private static final int MAX_SOURCES = 10_000;
    private static final int MAX_PENDING_LOOPS = 10_000;
    private static final int WORK_BATCH = 16;

    /** Receives exit payloads (gateways); called on an internal thread, must hand work off quickly. */
    @FunctionalInterface
    public interface DeliveryHandler {
        void deliver(Processed.Deliver delivery);
    }

    /** Counters at one moment, for tests, benchmarks and the CLI. */
    public record Stats(long packetsIn, long packetsOut, long dropped, long replayed, long delivered,
                        long surbReplies, long coverSent, long loopsReturned, Map<String, Long> dropReasons) {}

    private record Inbound(byte[] packet) {}

    private static final class Scheduled implements Delayed {
        final long due;
        final RouteId next;
        final byte[] packet;

        Scheduled(long due, RouteId next, byte[] packet) {
            this.due = due;
            this.next = next;
            this.packet = packet;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Scheduled) o).due);
        }
    }

    private final MixnodeConfig config;
    private final LinkTransport transport;
    private final DeliveryHandler delivery;
    private final RouteId self;
    private final NodeStore store;
    private final SphinxKeyManager keys;
    private final ReplayGuard replay;
    /** Lets Sphinx refuse a replay before its LIONESS pass; the authoritative check is replay.check below. */
    private final Sphinx.ReplayFilter replayFilter;
    private final PrometheusMeterRegistry registry;
    private final boolean ownsRegistry;
    private final BlockingQueue<Inbound> inbound;
    private final DelayQueue<Scheduled> delayed = new DelayQueue<>();
    private final AtomicInteger delayedCount = new AtomicInteger();
    private final Map<RouteId, LinkPool.Peer> peers = new ConcurrentHashMap<>();
    private final Map<Long, Link> mailboxes = new ConcurrentHashMap<>();
    private final Map<Link, Set<Long>> linkMailboxes = new ConcurrentHashMap<>();
    private final Map<Link, TokenBucket> linkBuckets = new ConcurrentHashMap<>();
    private final Map<InetAddress, TokenBucket> sourceBuckets = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> e) {
                    return size() > MAX_SOURCES;
                }
            });
    private final Map<RouteId, Long> pendingLoops = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<RouteId, Long> e) {
                    return size() > MAX_PENDING_LOOPS;
                }
            });
    private final Map<String, Counter> dropCounters = new ConcurrentHashMap<>();
    private final Counter packetsIn;
    private final Counter packetsOut;
    private final Counter replayed;
    private final Counter delivered;
    private final Counter surbReplies;
    private final Counter coverSent;
    private final Counter loopsReturned;
    private final Timer delayTimer;
    private final LinkTransport.Listener listener;
    private final AdminServer admin;
    private final List<Thread> threads = new ArrayList<>();
    private final LinkTransport.Handler handler = new LinkHandler();
    private volatile Topology topology;
    /** The signed document {@link #topology} was read from (served by a {@link TopologyMirror}). */
    private volatile byte[] topologyDocument;
    private volatile Map<RouteId, TopologyNode> routes = Map.of();
    private volatile boolean running = true;
    private volatile boolean registered;

    public Mixnode(MixnodeConfig config, LinkTransport transport, DeliveryHandler delivery) throws IOException {
        this(config, transport, delivery, null);
    }

    /**
     * Starts a node that registers its meters in {@code registry} (a daemon's registry, served on its
     * admin endpoint); null for a registry of its own.
     */
    public Mixnode(MixnodeConfig config, LinkTransport transport, DeliveryHandler delivery,
                   PrometheusMeterRegistry externalRegistry) throws IOException {
        this.config = config;
        this.ownsRegistry = externalRegistry == null;
        this.registry = externalRegistry != null ? externalRegistry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.transport = transport;
        this.delivery = delivery;
        this.self = RouteId.forIdentityKey(config.identity().publicKey());
        this.inbound = new ArrayBlockingQueue<>(config.inboundQueue());
        this.packetsIn = Counter.builder("mixnode_packets_in").description("packets received").register(registry);
        this.packetsOut = Counter.builder("mixnode_packets_out").description("packets forwarded").register(registry);
        this.replayed = Counter.builder("mixnode_packets_replayed").description("replays refused").register(registry);
        this.delivered = Counter.builder("mixnode_deliveries").description("exit payloads delivered").register(registry);
        this.surbReplies = Counter.builder("mixnode_surb_replies").description("SURB replies handed to clients").register(registry);
        this.coverSent = Counter.builder("mixnode_cover_sent").description("loop and drop cover sent").register(registry);
        this.loopsReturned = Counter.builder("mixnode_cover_loops_returned").register(registry);
        this.delayTimer = Timer.builder("mixnode_delay").description("per-packet mixing delay")
                .publishPercentileHistogram().register(registry);
        registry.gauge("mixnode_queue_depth_inbound", inbound, BlockingQueue::size);
        registry.gauge("mixnode_queue_depth_delay", delayedCount, AtomicInteger::get);
        try {
            this.store = new NodeStore(config.dataDir().resolve("mixnode.db"));
            this.keys = new SphinxKeyManager(store, config.keyEpochLength(), config.keyOverlap(), config.clock());
            this.replay = new ReplayGuard(store, config.replayCapacityPerEpoch(), 65_536, keys.oldestLiveEpoch());
        } catch (SQLException e) {
            throw new IOException("node database: " + e.getMessage(), e);
        }
        this.replayFilter = (phase, tag) -> replay.seen(keys.epochForPhase(phase), tag);
        registry.gauge("mixnode_queue_depth_replay", replay, ReplayGuard::queueDepth);
        registry.gauge("mixnode_replay_tags", replay, ReplayGuard::tagsInMemory);
        io.micrometer.core.instrument.FunctionCounter.builder("mixnode_replay_commits", replay, ReplayGuard::commitCount)
                .description("group commits of replay tags (packets accepted / this = tags per commit)").register(registry);
        this.listener = transport.listen(config.listen(), handler);
        this.admin = config.admin() == null ? null : new AdminServer(config.admin(), registry, this::isReady);
        for (int i = 0; i < config.processingThreads(); i++) {
            threads.add(Thread.ofPlatform().name("mix-worker-" + i).daemon(true).start(this::workLoop));
        }
        threads.add(Thread.ofPlatform().name("mix-scheduler").daemon(true).start(this::scheduleLoop));
        threads.add(Thread.ofVirtual().name("mix-maintenance").start(this::maintenanceLoop));
        if (config.loopRate() + config.dropRate() > 0) {
            threads.add(Thread.ofVirtual().name("mix-cover").start(this::coverLoop));
        }
        log.info("{} {} listening on {} ({}), layer {}", config.role(), self.shortString(), listener.localAddress(),
                transport.name(), config.layer());
    }

    public RouteId routeId() {
        return self;
    }

    public InetSocketAddress linkAddress() {
        return listener.localAddress();
    }

    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    /** The address published in the topology. */
    public String advertisedAddress() {
        if (config.advertisedAddress() != null) {
            return config.advertisedAddress();
        }
        return transport.advertise(linkAddress());
    }

    public Topology topology() {
        return topology;
    }

    /**
     * The signed topology document this node holds (verified against the authority key when fetched),
     * for a {@link TopologyMirror}; empty until the first topology arrived.
     */
    public Optional<byte[]> topologyDocument() {
        byte[] d = topologyDocument;
        return d == null ? Optional.empty() : Optional.of(d.clone());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Listening, registered and holding a topology that lists this node. */
    public boolean isReady() {
        return running && topology != null && routes.containsKey(self) && registered;
    }

    /** The signed descriptor this node publishes (identity, address, layer, AS group, current and next Sphinx keys). */
    public byte[] descriptor() {
        TopologyNode me = new TopologyNode(config.role(), config.identity().publicKey(), advertisedAddress(),
                config.layer(), config.asGroup(), keys.publishedKeys());
        byte[] priv = config.identity().privateKey();
        try {
            return TopologyCodec.signDescriptor(new TopologyCodec.Descriptor(config.clock().instant(), me), priv);
        } finally {
            java.util.Arrays.fill(priv, (byte) 0);
        }
    }

    /** Sends a packet this node originates (a gateway's SURB reply) to {@code next}. */
    public boolean send(RouteId next, byte[] packet) {
        return sendOut(next, packet);
    }

    public Stats stats() {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        dropCounters.forEach((k, v) -> reasons.put(k, (long) v.count()));
        long dropped = reasons.values().stream().mapToLong(Long::longValue).sum();
        return new Stats((long) packetsIn.count(), (long) packetsOut.count(), dropped, (long) replayed.count(),
                (long) delivered.count(), (long) surbReplies.count(), (long) coverSent.count(),
                (long) loopsReturned.count(), reasons);
    }

    private void drop(String reason) {
        dropCounters.computeIfAbsent(reason, r -> Counter.builder("mixnode_packets_dropped").tag("reason", r)
                .description("packets dropped").register(registry)).increment();
    }

    // ------------------------------------------------------------------ links

    private final class LinkHandler implements LinkTransport.Handler {
        @Override
        public void onOpen(Link link) {
            linkBuckets.put(link, new TokenBucket(config.linkRate(), config.linkBurst()));
        }

        @Override
        public void onFrame(Link link, LinkFrame frame) {
            switch (frame) {
                case LinkFrame.Packet p -> {
                    packetsIn.increment();
                    TokenBucket lb = linkBuckets.get(link);
                    if (lb != null && !lb.tryAcquire()) {
                        drop("rate_limited_link");
                        return;
                    }
                    TokenBucket sb = sourceBuckets.computeIfAbsent(link.remoteAddress(),
                            a -> new TokenBucket(config.sourceRate(), config.sourceBurst()));
                    if (!sb.tryAcquire()) {
                        drop("rate_limited_source");
                        return;
                    }
                    if (!inbound.offer(new Inbound(p.packet()))) {
                        drop("inbound_full");
                    }
                }
                case LinkFrame.Register r -> {
                    Set<Long> mine = linkMailboxes.computeIfAbsent(link, l -> ConcurrentHashMap.newKeySet());
                    if (mine.size() >= MAX_MAILBOXES_PER_LINK || mailboxes.size() >= MAX_MAILBOXES) {
                        drop("mailbox_limit");
                        return;
                    }
                    mine.add(r.mailbox().hi());
                    mailboxes.put(r.mailbox().hi(), link);
                }
                case LinkFrame.Reply ignored -> drop("unexpected_frame");
            }
        }

        @Override
        public void onClosed(Link link) {
            linkBuckets.remove(link);
            Set<Long> mine = linkMailboxes.remove(link);
            if (mine != null) {
                mine.forEach(m -> mailboxes.remove(m, link));
            }
        }
    }

    /** One outbound peer: a lazily (re)connected link, connected off the caller's thread. */
    static final class LinkPool {
        static final class Peer {
            volatile Link link;
            final AtomicInteger connecting = new AtomicInteger();
            /** Packets waiting while the link is being (re)connected; bounded. */
            final BlockingQueue<byte[]> pending = new ArrayBlockingQueue<>(1024);
        }
    }

    private boolean sendOut(RouteId next, byte[] packet) {
        if (next.equals(self)) {
            if (!inbound.offer(new Inbound(packet))) {
                drop("inbound_full");
                return false;
            }
            packetsOut.increment();
            return true;
        }
        TopologyNode node = routes.get(next);
        if (node == null) {
            drop("unknown_next_hop");
            return false;
        }
        LinkPool.Peer peer = peers.computeIfAbsent(next, k -> new LinkPool.Peer());
        Link link = peer.link;
        if (link == null || !link.isOpen()) {
            if (!peer.pending.offer(packet)) {
                drop("next_hop_connecting");
                return false;
            }
            if (peer.connecting.compareAndSet(0, 1)) {
                Thread.ofVirtual().name("connect " + next.shortString()).start(() -> connect(next, node, peer));
            }
            return true;
        }
        if (!link.send(new LinkFrame.Packet(packet))) {
            drop("link_full");
            return false;
        }
        packetsOut.increment();
        return true;
    }

    private void connect(RouteId next, TopologyNode node, LinkPool.Peer peer) {
        try {
            Link current = peer.link;
            if (current == null || !current.isOpen()) {
                peer.link = transport.connect(node.address(), handler, Duration.ofSeconds(5));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot reach {} at {}: {}", next.shortString(), node.address(), e.toString());
        } finally {
            peer.connecting.set(0);
        }
        Link l = peer.link;
        byte[] p;
        while ((p = peer.pending.poll()) != null) {
            if (l == null || !l.isOpen()) {
                drop("next_hop_unreachable");
            } else if (!l.send(new LinkFrame.Packet(p))) {
                drop("link_full");
            } else {
                packetsOut.increment();
            }
        }
    }

    // ------------------------------------------------------------------ processing

    private void workLoop() {
        // Takes up to WORK_BATCH queued packets per queue lock (the lock is shared with the link readers and
        // the other workers); with fewer queued, a batch is whatever is there, so no packet waits for others.
        List<Inbound> batch = new ArrayList<>(WORK_BATCH);
        ReplayGuard.Staging staging = new ReplayGuard.Staging();
        while (running) {
            Inbound first = inbound.poll();
            if (first == null) {
                // Nothing to do: commit any tags still queued for a larger commit before waiting.
                replay.flush();
                try {
                    first = inbound.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (first == null) {
                    continue;
                }
            }
            batch.add(first);
            inbound.drainTo(batch, WORK_BATCH - 1);
            for (Inbound in : batch) {
                try {
                    handle(in.packet(), staging);
                } catch (RuntimeException e) {
                    log.warn("packet handling failed", e);
                    drop("internal_error");
                }
            }
            // The batch's fresh tags go to the replay guard together; committed now if no packet waits.
            replay.submit(staging, inbound.isEmpty());
            batch.clear();
        }
    }

    private void handle(byte[] packet, ReplayGuard.Staging staging) {
        Processed p;
        try {
            p = Sphinx.process(packet, keys, replayFilter);
        } catch (SphinxException e) {
            if (e.field().equals("replay")) {
                replayed.increment();
            } else {
                drop("bad_" + e.field().replace('.', '_'));
            }
            return;
        }
        long epoch = keys.epochForPhase(packet[1]);
        Runnable action;
        switch (p) {
            case Processed.Relay r -> {
                if (!r.next().equals(self) && !routes.containsKey(r.next())) {
                    drop("unknown_next_hop");
                    return;
                }
                action = () -> schedule(r);
            }
            case Processed.Deliver d -> {
                if (delivery == null) {
                    drop("not_an_exit");
                    return;
                }
                action = () -> {
                    delivered.increment();
                    delivery.deliver(d);
                };
            }
            case Processed.SurbReply s -> action = () -> toMailbox(s);
            case Processed.Drop d -> action = () -> {
                Long sent = pendingLoops.remove(d.address());
                if (sent != null) {
                    loopsReturned.increment();
                }
            };
        }
        switch (replay.check(epoch, p.replayTag(), action, staging)) {
            case REPLAY -> replayed.increment();
            case FULL -> drop("replay_store_full");
            case FRESH -> { }
        }
    }

    private void schedule(Processed.Relay r) {
        long delayMs = Math.min(r.delayMillis(), config.maxDelay().toMillis());
        delayTimer.record(delayMs, TimeUnit.MILLISECONDS);
        if (delayMs == 0) {
            sendOut(r.next(), r.packet());
            return;
        }
        if (delayedCount.incrementAndGet() > config.delayQueue()) {
            delayedCount.decrementAndGet();
            drop("delay_queue_full");
            return;
        }
        delayed.put(new Scheduled(System.nanoTime() + delayMs * 1_000_000L, r.next(), r.packet()));
    }

    private void scheduleLoop() {
        while (running) {
            try {
                Scheduled s = delayed.poll(200, TimeUnit.MILLISECONDS);
                if (s == null) {
                    continue;
                }
                delayedCount.decrementAndGet();
                sendOut(s.next, s.packet);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("forwarding failed", e);
            }
        }
    }

    private void toMailbox(Processed.SurbReply s) {
        Link link = mailboxes.get(s.surbId().hi());
        if (link == null || !link.isOpen()) {
            drop("unknown_mailbox");
            return;
        }
        if (!link.send(new LinkFrame.Reply(s.surbId(), s.payload()))) {
            drop("link_full");
            return;
        }
        surbReplies.increment();
    }

    // ------------------------------------------------------------------ topology, keys, cover

    private void maintenanceLoop() {
        Instant lastRegistration = Instant.EPOCH;
        while (running) {
            try {
                boolean changed = keys.rotate();
                if (changed) {
                    replay.retireBefore(keys.oldestLiveEpoch());
                }
                Instant now = config.clock().instant();
                if (config.topologySource() instanceof TopologySource.Directory dir
                        && (changed || !registered || now.isAfter(lastRegistration.plus(config.topologyRefresh())))) {
                    dir.register(descriptor(), Duration.ofSeconds(5));
                    registered = true;
                    lastRegistration = now;
                } else if (!(config.topologySource() instanceof TopologySource.Directory)) {
                    registered = true;
                }
                refreshTopology();
            } catch (IOException | TopologyException | SQLException | RuntimeException e) {
                log.warn("maintenance: {}", e.toString());
            }
            long sleep = Math.min(config.topologyRefresh().toMillis(), keys.untilNextEvent().toMillis());
            if (topology == null || !routes.containsKey(self)) {
                sleep = Math.min(sleep, 500);
            }
            try {
                Thread.sleep(Math.max(50, sleep));
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void refreshTopology() throws IOException, TopologyException {
        TopologySource.Verified v = config.topologySource().fetchVerified(config.authorityKey(), config.clock(),
                Duration.ofSeconds(5));
        Topology t = v.topology();
        Topology old = topology;
        if (old == null || t.serial() != old.serial() || !t.issuedAt().equals(old.issuedAt())) {
            topologyDocument = v.document();
            topology = t;
            routes = t.byRouteId();
            if (old == null || old.nodes().size() != t.nodes().size()) {
                log.info("topology #{}: {} mixnodes in {} layers, {} gateways", t.serial(), t.mixnodes().size(),
                        t.layerCount(), t.gateways().size());
            }
        }
    }

    private void coverLoop() {
        double total = config.loopRate() + config.dropRate();
        while (running) {
            try {
                Thread.sleep(Math.max(1, (long) (exponential(1000.0 / total))));
            } catch (InterruptedException e) {
                break;
            }
            Topology t = topology;
            if (t == null || !routes.containsKey(self)) {
                continue;
            }
            try {
                boolean loop = Randomness.nextDouble() * total < config.loopRate();
                sendCover(t, loop);
            } catch (RuntimeException e) {
                log.debug("cover packet not sent: {}", e.toString());
            }
        }
    }

    private void sendCover(Topology t, boolean loop) {
        long epoch = t.keyEpochAt(config.clock().instant());
        List<Hop> path = new ArrayList<>();
        for (int layer = 1; layer <= t.layerCount(); layer++) {
            List<TopologyNode> candidates = t.layer(layer);
            if (candidates.isEmpty()) {
                return;
            }
            TopologyNode n = candidates.get(Randomness.nextInt(candidates.size()));
            Optional<TopologyNode.EpochKey> k = n.keyFor(epoch);
            if (k.isEmpty()) {
                return;
            }
            path.add(new Hop(n.routeId(), k.get().publicKey(), (int) (epoch & 0xff),
                    (int) exponential(config.coverDelayMean().toMillis())));
        }
        RouteId address = RouteId.random();
        if (loop) {
            TopologyNode me = routes.get(self);
            Optional<TopologyNode.EpochKey> k = me.keyFor(epoch);
            if (k.isEmpty() || path.size() >= Sphinx.MAX_HOPS) {
                return;
            }
            path.add(new Hop(self, k.get().publicKey(), (int) (epoch & 0xff), 0));
            pendingLoops.put(address, System.nanoTime());
        }
        if (path.isEmpty()) {
            return;
        }
        byte[] packet = Sphinx.createPacket(path, Sphinx.Command.DROP, address, new byte[0], Sphinx.RandomSource.SECURE);
        if (sendOut(path.getFirst().id(), packet)) {
            coverSent.increment();
        }
    }

    private static double exponential(double mean) {
        if (mean <= 0) {
            return 0;
        }
        return -mean * Math.log(1 - Randomness.nextDouble());
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        listener.close();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        peers.values().forEach(p -> {
            if (p.link != null) {
                p.link.close();
            }
        });
        replay.close();
        store.close();
        if (admin != null) {
            admin.close();
        }
        if (ownsRegistry) {
            registry.close();
        }
        log.info("{} {} stopped", config.role(), self.shortString());
    }
}
