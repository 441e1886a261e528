package org.aivillage.dtn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.BundleStore;
import org.aivillage.dtn.internal.Discovery;
import org.aivillage.dtn.internal.ExtensionBlocks;
import org.aivillage.dtn.routing.RoutingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bundle Protocol v7 node: durable store, convergence layers, routing, local endpoints.
 *
 * <p>The seed's API in Java naming: {@link #start()}, {@link #sendBundle}, {@link #getBundleStatus},
 * {@link #receiveBundle}, {@link #sendDeliveryReceipt}, {@link #stop()}; plus endpoint registration
 * with a handler ({@link #register}), extra convergence layers ({@link #addConvergenceLayer}) and
 * explicit neighbours ({@link #connect}).
 *
 * <p>Guarantees: {@code sendBundle} returns only after the bundle is committed to the store; a
 * neighbour's transfer is acknowledged only after the bundle is committed here; a bundle leaves
 * the store only when delivered to a local application, handed over by a forwarding decision and
 * acknowledged, or expired/evicted. After a restart every stored bundle is pending again.
 * Duplicates (same bundle id) are suppressed for their lifetime.
 */
public final class DtnNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtnNode.class);
    /** Private block carrying spray-and-wait routing copies handed to the receiver. */
    static final int ROUTING_COPIES_BLOCK = 193;
    private static final int LINK_QUEUE = 8192;
    private static final long BYTE_CACHE_LIMIT = 256L << 20;
    private static final int STATUS_LIMIT = 100_000;

    private final NodeConfig config;
    private final EndpointId nodeId;
    private final RoutingStrategy routing;
    private final MeterRegistry meters;
    private final List<ConvergenceLayer> layers = new CopyOnWriteArrayList<>();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<EndpointId, List<LinkState>> links = new ConcurrentHashMap<>();
    private final Map<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, List<Bundle>> fragments = new ConcurrentHashMap<>();
    private final Map<String, StatusEntry> statuses = new ConcurrentHashMap<>();
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> recentlySeen = new LinkedHashMap<>(1 << 16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 200_000;
        }
    };
    private final AtomicLong cachedBytes = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ClaListener claListener = new NodeClaListener();
    private BundleStore store;
    private TcpclConvergenceLayer tcpcl;
    private UdpConvergenceLayer udpcl;
    private Discovery discovery;
    private Thread maintenance;
    private long lastTimestampMillis;
    private long sequence;

    private final Counter received;
    private final Counter delivered;
    private final Counter forwarded;
    private final Counter duplicates;
    private final Counter expired;
    private final Counter refused;
    private final Counter transmissionsFailed;

    /** A bundle held for forwarding, with its routing state. */
    private static final class Held {
        final String id;
        final BundleId bundleId;
        final EndpointId destinationNode;
        final long expiresAt;
        final int priority;
        final EndpointId previousNode;
        final Set<EndpointId> holders = ConcurrentHashMap.newKeySet();
        final Set<EndpointId> inflight = ConcurrentHashMap.newKeySet();
        volatile long copies;
        volatile byte[] bytes;
        volatile boolean gone;
        boolean reportForwarding;

        Held(String id, BundleId bundleId, EndpointId destinationNode, long expiresAt, int priority, long copies,
                EndpointId previousNode, byte[] bytes) {
            this.id = id;
            this.bundleId = bundleId;
            this.destinationNode = destinationNode;
            this.expiresAt = expiresAt;
            this.priority = priority;
            this.copies = copies;
            this.previousNode = previousNode;
            this.bytes = bytes;
        }
    }

    private record Job(Held held, RoutingStrategy.Decision decision) {}

    private final class LinkState {
        final ClaLink link;
        final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(LINK_QUEUE);
        final Thread forwarder;

        LinkState(ClaLink link) {
            this.link = link;
            this.forwarder = Thread.ofVirtual().name("dtn-forward-" + link.peerNodeId()).unstarted(this::run);
        }

        void run() {
            while (link.isOpen() && !stopped.get()) {
                Job job;
                try {
                    job = queue.poll(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (job != null) {
                    transmit(this, job);
                }
            }
            for (Job j : queue) {
                j.held().inflight.remove(link.peerNodeId());
            }
        }
    }

    private static final class Endpoint {
        final BlockingQueue<ReceivedBundle> queue = new LinkedBlockingQueue<>();
        volatile Consumer<ReceivedBundle> handler;
    }

    private static final class StatusEntry {
        volatile BundleStatus.State state;
        volatile int transmissions;
        volatile Instant updated = Instant.now();
        volatile StatusReason reason = StatusReason.NO_ADDITIONAL_INFORMATION;

        StatusEntry(BundleStatus.State s) {
            state = s;
        }
    }

    public DtnNode(NodeConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    public DtnNode(NodeConfig config, MeterRegistry meters) {
        this.config = config;
        this.nodeId = config.nodeId();
        this.routing = config.routing().newStrategy(nodeId);
        this.meters = meters;
        received = meters.counter("dtn.bundles.received");
        delivered = meters.counter("dtn.bundles.delivered");
        forwarded = meters.counter("dtn.bundles.forwarded");
        duplicates = meters.counter("dtn.bundles.duplicates");
        expired = meters.counter("dtn.bundles.expired");
        refused = meters.counter("dtn.bundles.refused");
        transmissionsFailed = meters.counter("dtn.transmissions.failed");
        Gauge.builder("dtn.store.bundles", held, Map::size).register(meters);
        Gauge.builder("dtn.links", links, m -> m.values().stream().mapToInt(List::size).sum()).register(meters);
    }

    public EndpointId nodeId() {
        return nodeId;
    }

    public NodeConfig config() {
        return config;
    }

    public RoutingStrategy routing() {
        return routing;
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** Adds a convergence layer (HTX, mixnet, BitChat, ...) before {@link #start()}. */
    public void addConvergenceLayer(ConvergenceLayer layer) {
        if (started.get()) {
            throw new IllegalStateException("add convergence layers before start()");
        }
        layers.add(layer);
    }

    /** Opens the store, resumes stored bundles, starts the convergence layers, discovery and maintenance. */
    public synchronized void start() throws DtnException {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        store = new BundleStore(config.storagePath().resolve("bundles.db"), config.maxStorageBytes(),
                config.fsyncEveryCommit());
        Gauge.builder("dtn.store.bytes", store, BundleStore::usedBytes).register(meters);
        resume();
        try {
            InetAddress bind = InetAddress.getByName(config.bindAddress());
            tcpcl = new TcpclConvergenceLayer(nodeId, bind, config.tcpclPort(), config.tcpcl());
            layers.addFirst(tcpcl);
            if (config.udpPort() >= 0) {
                udpcl = new UdpConvergenceLayer(bind, config.udpPort());
                layers.add(udpcl);
            }
            for (ConvergenceLayer l : layers) {
                l.start(claListener);
            }
            if (config.contactDiscovery()) {
                discovery = new Discovery(nodeId, config.discoveryGroup(), config.discoveryInterface(),
                        config.discoveryInterval(), tcpcl.port(), this::discovered);
                discovery.start();
            }
        } catch (IOException e) {
            stop();
            throw new DtnException("cannot start the convergence layers: " + e.getMessage(), e);
        }
        maintenance = Thread.ofVirtual().name("dtn-maintenance").start(this::maintenanceLoop);
        LOG.info("DTN node {} started: tcpcl {}, routing {}, {} bundles resumed", nodeId, tcpcl.localAddress(),
                routing.name(), held.size());
    }

    private void resume() throws DtnException {
        long now = System.currentTimeMillis();
        for (BundleStore.Entry e : store.entries()) {
            byte[] bytes = store.load(e.id());
            if (bytes == null) {
                continue;
            }
            Bundle b;
            try {
                b = BundleCodec.decode(bytes);
            } catch (CodecException ex) {
                LOG.warn("dropping unreadable stored bundle {}: {}", e.id(), ex.getMessage());
                store.deleteAsync(e.id());
                continue;
            }
            switch (e.state()) {
                case BundleStore.STATE_LOCAL -> enqueueLocal(b, e.id());
                case BundleStore.STATE_FRAGMENT -> fragments.computeIfAbsent(b.id().wholeBundle().key(),
                        k -> new CopyOnWriteArrayList<>()).add(b);
                default -> {
                    Held h = new Held(e.id(), b.id(), b.primary().destination().node(), e.expiresAtMillis(), e.priority(),
                            e.copies(), b.previousNode().orElse(null), cache(bytes));
                    held.put(h.id, h);
                    if (b.primary().source().isOnNode(nodeId)) {
                        status(h.bundleId, BundleStatus.State.PENDING);
                    }
                }
            }
        }
        store.purgeSeen(now);
    }

    private byte[] cache(byte[] bytes) {
        if (cachedBytes.get() + bytes.length > BYTE_CACHE_LIMIT) {
            return null;
        }
        cachedBytes.addAndGet(bytes.length);
        return bytes;
    }

    private void uncache(Held h) {
        byte[] b = h.bytes;
        if (b != null) {
            h.bytes = null;
            cachedBytes.addAndGet(-b.length);
        }
    }

    // ---- application API ----------------------------------------------------------------------

    /**
     * Creates a bundle from {@code request}, commits it to the store and schedules it for
     * forwarding. Returns its id once it is durable. Throws {@link StoreFullException} if the
     * store cannot take it.
     */
    public BundleId sendBundle(SendRequest request) throws DtnException {
        requireStarted();
        EndpointId source = request.source() != null ? request.source() : nodeId;
        if (!source.isOnNode(nodeId) && !source.equals(EndpointId.NONE)) {
            throw new IllegalArgumentException("source " + source + " is not an endpoint of node " + nodeId);
        }
        Duration ttl = request.ttl() != null ? request.ttl() : config.defaultLifetime();
        Bundle.Builder bb = Bundle.builder().source(source).destination(request.destination())
                .reportTo(source.equals(EndpointId.NONE) ? EndpointId.NONE : nodeId).payload(request.payload())
                .lifetime(ttl).creationTimestamp(nextTimestamp()).deliveryReceiptRequested(request.deliveryReceiptRequested())
                .priority(request.priority());
        if (source.equals(EndpointId.NONE)) {
            bb.addFlags(BundleFlags.MUST_NOT_FRAGMENT).deliveryReceiptRequested(false);
        }
        if (routing.initialCopies() > 1) {
            bb.extensionBlock(new CanonicalBlock(ROUTING_COPIES_BLOCK, 100, 0, CrcType.NONE,
                    ExtensionBlocks.encodeBundleAge(routing.initialCopies())));
        }
        Bundle bundle = bb.build();
        bundle = applyOutgoingSecurity(bundle);
        return accept(bundle, null, true).id();
    }

    /** Convenience: the seed's {@code send_bundle(Bundle{...})}. */
    public BundleId sendBundle(EndpointId destination, byte[] payload, Duration ttl, int priority,
            boolean deliveryReceiptRequested) throws DtnException {
        return sendBundle(new SendRequest(null, destination, payload, ttl, priority, deliveryReceiptRequested));
    }

    private Bundle applyOutgoingSecurity(Bundle bundle) throws DtnException {
        BpsecConfig sec = config.security();
        try {
            if (sec.signOutgoing() && sec.integrityKeys().containsKey(nodeId)) {
                bundle = Bpsec.addIntegrity(bundle, List.of(1L), nodeId, Bpsec.ShaVariant.HMAC_256, Bpsec.SCOPE_ALL,
                        sec.integrityKeys().get(nodeId), null, 0, 0);
            }
            if (sec.encryptOutgoing() && sec.confidentialityKeys().containsKey(nodeId)) {
                List<Long> targets = new ArrayList<>(List.of(1L));
                bundle.block(BlockType.BLOCK_INTEGRITY).ifPresent(b -> targets.addFirst(b.number()));
                bundle = Bpsec.addConfidentiality(bundle, targets, nodeId, Bpsec.AesVariant.A256GCM, Bpsec.SCOPE_ALL,
                        sec.confidentialityKeys().get(nodeId), null, null, 0);
            }
        } catch (BpsecException e) {
            throw new DtnException("BPSec processing of an outgoing bundle failed: " + e.getMessage());
        }
        return bundle;
    }

    private synchronized CreationTimestamp nextTimestamp() {
        long now = CreationTimestamp.dtnTimeOfUnixMillis(System.currentTimeMillis());
        if (now > lastTimestampMillis) {
            lastTimestampMillis = now;
            sequence = 0;
        } else {
            sequence++;
        }
        return new CreationTimestamp(lastTimestampMillis, sequence);
    }

    /** The state of a bundle this node originated or holds. */
    public BundleStatus getBundleStatus(BundleId id) {
        StatusEntry s = statuses.get(id.key());
        if (s == null) {
            return held.containsKey(id.key())
                    ? new BundleStatus(id, BundleStatus.State.PENDING, 0, Instant.now(), StatusReason.NO_ADDITIONAL_INFORMATION)
                    : new BundleStatus(id, BundleStatus.State.UNKNOWN, 0, Instant.now(), StatusReason.NO_ADDITIONAL_INFORMATION);
        }
        return new BundleStatus(id, s.state, s.transmissions, s.updated, s.reason);
    }

    /**
     * Waits up to {@code timeout} for the next bundle to {@code endpoint} and returns it; the bundle
     * leaves the store (and is remembered as delivered) before this returns.
     */
    public Optional<ReceivedBundle> receiveBundle(EndpointId endpoint, Duration timeout) throws DtnException {
        requireStarted();
        Endpoint ep = endpoints.computeIfAbsent(endpoint, k -> new Endpoint());
        ReceivedBundle r;
        try {
            r = ep.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (r == null) {
            return Optional.empty();
        }
        consumed(r);
        return Optional.of(r);
    }

    /**
     * Registers {@code handler} for {@code endpoint}: every bundle for it (including those already
     * stored) is passed to the handler on a virtual thread, then removed from the store.
     */
    public void register(EndpointId endpoint, Consumer<ReceivedBundle> handler) {
        Endpoint ep = endpoints.computeIfAbsent(endpoint, k -> new Endpoint());
        ep.handler = handler;
        ReceivedBundle r;
        while ((r = ep.queue.poll()) != null) {
            dispatchToHandler(ep, r);
        }
    }

    public void unregister(EndpointId endpoint) {
        Endpoint ep = endpoints.get(endpoint);
        if (ep != null) {
            ep.handler = null;
        }
    }

    /** Sends a "delivered" status report for {@code bundle} to its report-to endpoint. */
    public void sendDeliveryReceipt(ReceivedBundle bundle) throws DtnException {
        sendStatusReport(bundle.bundle(), BundleFlags.REPORT_DELIVERY, StatusReason.NO_ADDITIONAL_INFORMATION, true);
    }

    /** Opens a TCPCL session to {@code host:port} (kept until it drops; see {@link NodeConfig#peers} for kept peers). */
    public ClaLink connect(String address, Duration timeout) throws IOException {
        requireStarted();
        return tcpcl.connect(address, null, timeout);
    }

    /** Opens a link through the layer with {@code scheme} ({@code tcpcl}, {@code udpcl}, or an added layer's). */
    public ClaLink connect(String scheme, String address, EndpointId peer, Duration timeout) throws IOException {
        requireStarted();
        for (ConvergenceLayer l : layers) {
            if (l.scheme().equals(scheme)) {
                return l.connect(address, peer, timeout);
            }
        }
        throw new IOException("no convergence layer " + scheme);
    }

    /** The TCPCL listen address ({@code host:port}). */
    public String tcpclAddress() {
        return tcpcl == null ? null : tcpcl.localAddress();
    }

    public int tcpclPort() {
        return tcpcl == null ? -1 : tcpcl.port();
    }

    public int udpPort() {
        return udpcl == null ? -1 : udpcl.port();
    }

    /** Neighbours with an open link. */
    public Set<EndpointId> neighbours() {
        Set<EndpointId> out = ConcurrentHashMap.newKeySet();
        links.forEach((k, v) -> {
            if (v.stream().anyMatch(s -> s.link.isOpen())) {
                out.add(k);
            }
        });
        return out;
    }

    /** Closes every link to {@code peer} (for tests and operators: simulates a link going away). */
    public void disconnect(EndpointId peer) {
        List<LinkState> l = links.get(peer.node());
        if (l != null) {
            for (LinkState s : List.copyOf(l)) {
                s.link.close();
            }
        }
    }

    public int storedBundles() {
        return store == null ? 0 : store.count();
    }

    public long storedBytes() {
        return store == null ? 0 : store.usedBytes();
    }

    /** Bundles held for forwarding (not yet delivered to their destination by this node). */
    public int pendingBundles() {
        return held.size();
    }

    public boolean isReady() {
        return started.get() && !stopped.get();
    }

    private void requireStarted() {
        if (!started.get() || stopped.get()) {
            throw new IllegalStateException("node is not running");
        }
    }

    // ---- bundle acceptance --------------------------------------------------------------------

    private record Accepted(BundleId id) {}

    /**
     * Takes a bundle into the node: dedupe, expiry, local delivery or storage for forwarding.
     * Returns once the outcome is durable.
     */
    private Accepted accept(Bundle bundle, ClaLink from, boolean local) throws DtnException {
        return accept(bundle, null, from, local);
    }

    /** {@code encoded}: the bundle's wire bytes when it arrived unmodified (saves re-encoding), else null. */
    private Accepted accept(Bundle bundle, byte[] encoded, ClaLink from, boolean local) throws DtnException {
        BundleId id = bundle.id();
        String key = id.key();
        long now = System.currentTimeMillis();
        if (held.containsKey(key) || (!local && isSeen(key))) {
            duplicates.increment();
            return new Accepted(id);
        }
        if (!local) {
            Bundle processed = unknownBlocks(bundle);
            if (processed == null) {
                return new Accepted(id); // a block it could not process asked for the bundle's deletion
            }
            if (processed != bundle) {
                bundle = processed;
                encoded = null;
            }
        }
        long expiresAt = expiry(bundle, now);
        if (expiresAt <= now) {
            expired.increment();
            sendStatusReport(bundle, BundleFlags.REPORT_DELETION, StatusReason.LIFETIME_EXPIRED, false);
            return new Accepted(id);
        }
        EndpointId dest = bundle.primary().destination();
        if (dest.isOnNode(nodeId)) {
            deliverLocally(bundle, encoded, key, expiresAt, now);
            return new Accepted(id);
        }
        Bundle outgoing = bundle;
        if (!local) {
            Optional<long[]> hop = bundle.hopCount();
            if (hop.isPresent()) {
                long[] lc = hop.get();
                if (lc[1] + 1 > lc[0]) {
                    sendStatusReport(bundle, BundleFlags.REPORT_DELETION, StatusReason.HOP_LIMIT_EXCEEDED, false);
                    return new Accepted(id);
                }
                outgoing = outgoing.withExtension(BlockType.HOP_COUNT, 0, ExtensionBlocks.encodeHopCount(lc[0], lc[1] + 1));
            }
        }
        EndpointId prev = from != null ? from.peerNodeId() : bundle.previousNode().orElse(null);
        outgoing = outgoing.withExtension(BlockType.PREVIOUS_NODE, 0, ExtensionBlocks.encodePreviousNode(nodeId));
        long copies = outgoing.block(ROUTING_COPIES_BLOCK).map(b -> safeUint(b.data(), 1)).orElse(1L);
        byte[] bytes = BundleCodec.encode(outgoing);
        BundleStore.Entry entry = new BundleStore.Entry(key, dest.toString(), bundle.priority(), expiresAt, bytes.length,
                BundleStore.STATE_FORWARD, copies, now);
        List<String> evicted = new ArrayList<>();
        if (!store.insert(entry, bytes, now, evicted)) {
            duplicates.increment();
            return new Accepted(id);
        }
        afterEviction(evicted);
        Held h = new Held(key, id, dest.node(), expiresAt, bundle.priority(), copies,
                prev == null || prev.equals(EndpointId.NONE) ? null : prev, cache(bytes));
        h.reportForwarding = bundle.primary().hasFlag(BundleFlags.REPORT_FORWARDING);
        held.put(key, h);
        if (local) {
            status(id, BundleStatus.State.PENDING);
        } else {
            received.increment();
            sendStatusReport(bundle, BundleFlags.REPORT_RECEPTION, StatusReason.NO_ADDITIONAL_INFORMATION, false);
        }
        route(h);
        return new Accepted(id);
    }

    /**
     * Applies the processing flags of blocks this node does not know (RFC 9171 section 5.6 step 6
     * and 4.2.4): report if asked, delete the bundle if asked (returns null), discard the block if
     * asked, otherwise keep it and forward it unchanged.
     */
    private Bundle unknownBlocks(Bundle bundle) {
        Bundle out = bundle;
        for (CanonicalBlock b : bundle.blocks()) {
            if (BlockType.isKnown(b.type()) || b.type() == ROUTING_COPIES_BLOCK) {
                continue;
            }
            if (b.hasFlag(BlockFlags.REPORT_IF_UNPROCESSABLE)) {
                sendStatusReport(bundle, BundleFlags.REPORT_RECEPTION, StatusReason.BLOCK_UNSUPPORTED, true);
            }
            if (b.hasFlag(BlockFlags.DELETE_BUNDLE_IF_UNPROCESSABLE)) {
                sendStatusReport(bundle, BundleFlags.REPORT_DELETION, StatusReason.BLOCK_UNSUPPORTED, false);
                refused.increment();
                return null;
            }
            if (b.hasFlag(BlockFlags.DISCARD_IF_UNPROCESSABLE)) {
                out = out.withoutBlock(b.number());
            }
        }
        return out;
    }

    private static long safeUint(byte[] data, long dflt) {
        try {
            return ExtensionBlocks.parseBundleAge(data);
        } catch (CodecException e) {
            return dflt;
        }
    }

    private long expiry(Bundle b, long now) {
        PrimaryBlock p = b.primary();
        if (!p.creationTimestamp().clockUnknown()) {
            long created = p.creationTimestamp().unixMillis();
            long e = created + p.lifetimeMillis();
            return e < created ? Long.MAX_VALUE : e;
        }
        long age = b.bundleAgeMillis().orElse(0);
        return now + Math.max(0, p.lifetimeMillis() - age);
    }

    private boolean isSeen(String key) throws DtnException {
        synchronized (recentlySeen) {
            if (recentlySeen.containsKey(key)) {
                return true;
            }
        }
        return store.seen(key);
    }

    private void remember(String key) {
        synchronized (recentlySeen) {
            recentlySeen.put(key, Boolean.TRUE);
        }
    }

    private void afterEviction(List<String> evicted) {
        for (String id : evicted) {
            Held h = held.remove(id);
            if (h != null) {
                h.gone = true;
                uncache(h);
                status(h.bundleId, BundleStatus.State.DELETED, StatusReason.DEPLETED_STORAGE);
            }
            LOG.info("evicted bundle {} to make room", id);
        }
    }

    private void deliverLocally(Bundle bundle, byte[] encoded, String key, long expiresAt, long now)
            throws DtnException {
        if (bundle.primary().isAdministrativeRecord()) {
            handleAdministrativeRecord(bundle);
            store.markSeen(key, expiresAt);
            remember(key);
            return;
        }
        Bundle plain;
        try {
            plain = applyIncomingSecurity(bundle);
        } catch (BpsecException e) {
            LOG.warn("discarding bundle {}: {}", key, e.getMessage());
            refused.increment();
            throw new DtnException("BPSec check failed: " + e.getMessage());
        }
        if (plain.primary().isFragment()) {
            byte[] bytes = BundleCodec.encode(plain);
            if (!store.insert(new BundleStore.Entry(key, plain.primary().destination().toString(), plain.priority(),
                    expiresAt, bytes.length, BundleStore.STATE_FRAGMENT, 0, now), bytes, now, null)) {
                return;
            }
            String whole = plain.id().wholeBundle().key();
            List<Bundle> parts = fragments.computeIfAbsent(whole, k -> new CopyOnWriteArrayList<>());
            parts.add(plain);
            Optional<Bundle> done = Fragmentation.reassemble(parts);
            if (done.isPresent() && fragments.remove(whole) != null) {
                Bundle b = done.get();
                if (!isSeen(whole)) {
                    storeLocal(b, null, whole, expiresAt, now);
                }
                for (Bundle f : parts) {
                    store.delete(f.id().key(), f.id().key(), expiresAt);
                }
            }
            return;
        }
        storeLocal(plain, plain == bundle ? encoded : null, key, expiresAt, now);
    }

    private void storeLocal(Bundle b, byte[] encoded, String key, long expiresAt, long now) throws DtnException {
        byte[] bytes = encoded != null ? encoded : BundleCodec.encode(b);
        List<String> evicted = new ArrayList<>();
        if (!store.insert(new BundleStore.Entry(key, b.primary().destination().toString(), b.priority(), expiresAt,
                bytes.length, BundleStore.STATE_LOCAL, 0, now), bytes, now, evicted)) {
            duplicates.increment();
            return;
        }
        afterEviction(evicted);
        received.increment();
        enqueueLocal(b, key);
    }

    private Bundle applyIncomingSecurity(Bundle b) throws BpsecException {
        BpsecConfig sec = config.security();
        Bundle out = b;
        if (out.block(BlockType.BLOCK_CONFIDENTIALITY).isPresent()) {
            out = Bpsec.decrypt(out, sec.resolver());
        }
        boolean hasBib = out.block(BlockType.BLOCK_INTEGRITY).isPresent();
        if (hasBib) {
            Bpsec.verifyIntegrity(out, sec.resolver());
        } else if (sec.requireIntegrity()) {
            throw new BpsecException("bundle carries no BIB and this node requires integrity");
        }
        return out;
    }

    private void enqueueLocal(Bundle b, String key) {
        ReceivedBundle r = ReceivedBundle.of(b);
        Endpoint ep = endpoints.computeIfAbsent(b.primary().destination(), k -> new Endpoint());
        if (ep.handler != null) {
            dispatchToHandler(ep, r);
        } else {
            ep.queue.add(r);
        }
    }

    private void dispatchToHandler(Endpoint ep, ReceivedBundle r) {
        Consumer<ReceivedBundle> h = ep.handler;
        workers.execute(() -> {
            try {
                h.accept(r);
                consumed(r);
            } catch (RuntimeException | DtnException e) {
                LOG.warn("endpoint handler for {} failed on {}: {}", r.destination(), r.id(), e.getMessage());
                ep.queue.add(r);
            }
        });
    }

    private void consumed(ReceivedBundle r) throws DtnException {
        String key = r.id().key();
        long expires = expiry(r.bundle(), System.currentTimeMillis());
        store.delete(key, key, expires);
        remember(key);
        delivered.increment();
        if (r.deliveryReceiptRequested()) {
            sendStatusReport(r.bundle(), BundleFlags.REPORT_DELIVERY, StatusReason.NO_ADDITIONAL_INFORMATION, false);
        }
        if (r.source().isOnNode(nodeId)) {
            status(r.id(), BundleStatus.State.DELIVERED);
        }
    }

    private void handleAdministrativeRecord(Bundle bundle) {
        AdministrativeRecord record;
        try {
            record = AdministrativeRecord.decode(bundle.payload());
        } catch (CodecException e) {
            LOG.debug("ignoring malformed administrative record from {}: {}", bundle.primary().source(), e.getMessage());
            return;
        }
        switch (record) {
            case AdministrativeRecord.StatusReport r -> {
                if (r.delivered().asserted()) {
                    status(r.subject(), BundleStatus.State.DELIVERED);
                } else if (r.deleted().asserted()) {
                    status(r.subject(), BundleStatus.State.DELETED, r.reason());
                } else if (r.forwarded().asserted()) {
                    updateIf(r.subject(), BundleStatus.State.PENDING, BundleStatus.State.FORWARDED);
                }
            }
        }
    }

    private void sendStatusReport(Bundle subject, long flag, StatusReason reason, boolean force) {
        PrimaryBlock p = subject.primary();
        if ((!force && !p.hasFlag(flag)) || p.isAdministrativeRecord() || p.reportTo().equals(EndpointId.NONE)) {
            return;
        }
        long now = CreationTimestamp.dtnTimeOfUnixMillis(System.currentTimeMillis());
        boolean timed = p.hasFlag(BundleFlags.STATUS_TIME_REQUESTED);
        AdministrativeRecord.Assertion yes = AdministrativeRecord.Assertion.at(now, timed);
        AdministrativeRecord.Assertion no = AdministrativeRecord.Assertion.NO;
        AdministrativeRecord.StatusReport report = new AdministrativeRecord.StatusReport(
                flag == BundleFlags.REPORT_RECEPTION ? yes : no, flag == BundleFlags.REPORT_FORWARDING ? yes : no,
                flag == BundleFlags.REPORT_DELIVERY ? yes : no, flag == BundleFlags.REPORT_DELETION ? yes : no, reason,
                subject.id());
        Bundle b = Bundle.builder().source(nodeId).destination(p.reportTo()).reportTo(EndpointId.NONE)
                .flags(BundleFlags.ADMINISTRATIVE_RECORD).creationTimestamp(nextTimestamp())
                .lifetimeMillis(Math.max(p.lifetimeMillis(), 60_000)).payload(AdministrativeRecord.encode(report)).build();
        workers.execute(() -> {
            try {
                accept(b, null, true);
            } catch (DtnException e) {
                LOG.debug("status report for {} not sent: {}", subject.id(), e.getMessage());
            }
        });
    }

    // ---- status bookkeeping --------------------------------------------------------------------

    private void status(BundleId id, BundleStatus.State state) {
        status(id, state, StatusReason.NO_ADDITIONAL_INFORMATION);
    }

    private void status(BundleId id, BundleStatus.State state, StatusReason reason) {
        if (!id.source().isOnNode(nodeId)) {
            return;
        }
        StatusEntry s = statuses.computeIfAbsent(id.key(), k -> new StatusEntry(state));
        synchronized (s) {
            if (s.state == BundleStatus.State.DELIVERED && state != BundleStatus.State.DELIVERED) {
                return;
            }
            s.state = state;
            s.reason = reason;
            s.updated = Instant.now();
        }
        if (statuses.size() > STATUS_LIMIT) {
            trimStatuses();
        }
    }

    /** Drops the oldest tenth of the status entries once there are more than {@link #STATUS_LIMIT}. */
    private synchronized void trimStatuses() {
        if (statuses.size() <= STATUS_LIMIT) {
            return;
        }
        List<Map.Entry<String, StatusEntry>> all = new ArrayList<>(statuses.entrySet());
        all.sort(java.util.Comparator.comparing(e -> e.getValue().updated));
        for (int i = 0; i < all.size() / 10; i++) {
            statuses.remove(all.get(i).getKey());
        }
    }

    private void updateIf(BundleId id, BundleStatus.State from, BundleStatus.State to) {
        StatusEntry s = statuses.get(id.key());
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (s.state == from) {
                s.state = to;
                s.updated = Instant.now();
            }
        }
    }

    private void countTransmission(BundleId id) {
        if (!id.source().isOnNode(nodeId)) {
            return;
        }
        StatusEntry s = statuses.get(id.key());
        if (s == null) {
            return;
        }
        synchronized (s) {
            {
                s.transmissions++;
                if (s.state == BundleStatus.State.PENDING) {
                    s.state = BundleStatus.State.FORWARDED;
                    s.updated = Instant.now();
                }
            }
        }
    }

    // ---- routing and forwarding ----------------------------------------------------------------

    private void route(Held h) {
        synchronized (h) { // per bundle: the copies it hands out are reserved under this lock
            routeLocked(h);
        }
    }

    private void routeLocked(Held h) {
        if (h.gone) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<EndpointId, List<LinkState>> e : links.entrySet()) {
            EndpointId peer = e.getKey();
            if (h.inflight.contains(peer)) {
                continue;
            }
            LinkState ls = pick(e.getValue());
            if (ls == null) {
                continue;
            }
            RoutingStrategy.Decision d = routing.decide(new RoutingStrategy.BundleView(h.bundleId, h.destinationNode,
                    h.copies, h.holders, h.previousNode), peer, now);
            if (!d.send()) {
                continue;
            }
            if (!h.inflight.add(peer)) {
                continue;
            }
            if (!d.deleteAfter()) {
                h.copies = d.copiesKept(); // reserve the copies handed over; given back if the transfer fails
            }
            if (!ls.queue.offer(new Job(h, d))) {
                h.inflight.remove(peer);
                if (!d.deleteAfter()) {
                    h.copies += d.copiesToPeer();
                }
                continue;
            }
            if (d.deleteAfter()) {
                return; // forwarding: one neighbour at a time
            }
        }
    }

    private static LinkState pick(List<LinkState> states) {
        LinkState best = null;
        for (LinkState s : states) {
            if (s.link.isOpen() && (best == null || (s.link.reliable() && !best.link.reliable()))) {
                best = s;
            }
        }
        return best;
    }

    private void transmit(LinkState ls, Job job) {
        Held h = job.held();
        EndpointId peer = ls.link.peerNodeId();
        if (h.gone) {
            h.inflight.remove(peer);
            return;
        }
        try {
            byte[] bytes = h.bytes;
            if (bytes == null) {
                bytes = store.load(h.id);
                if (bytes == null) {
                    h.inflight.remove(peer);
                    return;
                }
            }
            RoutingStrategy.Decision d = job.decision();
            if (routing.initialCopies() > 1) {
                Bundle b = BundleCodec.decode(bytes);
                bytes = BundleCodec.encode(b.withExtension(ROUTING_COPIES_BLOCK, 0,
                        ExtensionBlocks.encodeBundleAge(d.copiesToPeer())));
            }
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            if (bytes.length > ls.link.maxBundleSize()) {
                Bundle b = BundleCodec.decode(bytes);
                int maxPayload = (int) Math.max(256, ls.link.maxBundleSize() - (bytes.length - b.payload().length) - 64);
                for (Bundle f : Fragmentation.fragment(b, maxPayload)) {
                    parts.add(ls.link.transmit(BundleCodec.encode(f)));
                }
            } else {
                parts.add(ls.link.transmit(bytes));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                    .whenComplete((ok, err) -> {
                        if (err == null && routing.initialCopies() <= 1) {
                            transmitted(h, peer, d, null); // no blocking store call on this path
                        } else {
                            workers.execute(() -> transmitted(h, peer, d, err));
                        }
                    });
        } catch (IOException | IllegalArgumentException | DtnException e) {
            transmitted(h, peer, job.decision(), e);
        }
    }

    private void transmitted(Held h, EndpointId peer, RoutingStrategy.Decision d, Throwable err) {
        h.inflight.remove(peer);
        Throwable cause = err instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : err;
        boolean peerHasIt = cause == null
                || (cause instanceof BundleRefusedException r && r.reason() == BundleRefusedException.COMPLETED);
        if (!peerHasIt) {
            if (!d.deleteAfter() && routing.initialCopies() > 1) {
                synchronized (h) {
                    h.copies += d.copiesToPeer();
                }
            }
            transmissionsFailed.increment();
            LOG.debug("transmission of {} to {} failed: {}", h.id, peer, cause.getMessage());
            return;
        }
        forwarded.increment();
        h.holders.add(peer.node());
        countTransmission(h.bundleId);
        if (h.reportForwarding) {
            reportFromStored(h, BundleFlags.REPORT_FORWARDING, StatusReason.NO_ADDITIONAL_INFORMATION);
        }
        if (h.gone) {
            return;
        }
        try {
            if (d.deleteAfter() || h.destinationNode.equals(peer.node())) {
                drop(h);
                store.deleteAsync(h.id);
            } else if (routing.initialCopies() > 1) {
                store.update(h.id, BundleStore.STATE_FORWARD, h.copies);
            }
        } catch (DtnException e) {
            LOG.warn("store update after forwarding {} failed: {}", h.id, e.getMessage());
        }
    }

    /** Sends a status report about a held bundle if the bundle asked for {@code flag}. */
    private void reportFromStored(Held h, long flag, StatusReason reason) {
        try {
            byte[] bytes = h.bytes != null ? h.bytes : store.load(h.id);
            if (bytes != null) {
                sendStatusReport(BundleCodec.decode(bytes), flag, reason, false);
            }
        } catch (DtnException | CodecException e) {
            LOG.debug("no status report for {}: {}", h.id, e.getMessage());
        }
    }

    private void drop(Held h) {
        h.gone = true;
        held.remove(h.id);
        uncache(h);
    }

    private void rescan() {
        for (Held h : held.values()) {
            route(h);
        }
    }

    private void maintenanceLoop() {
        long lastPurge = System.currentTimeMillis();
        long passes = 0;
        while (!stopped.get()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            try {
                for (Held h : held.values()) {
                    if (h.expiresAt <= now) {
                        reportFromStored(h, BundleFlags.REPORT_DELETION, StatusReason.LIFETIME_EXPIRED);
                        drop(h);
                        expired.increment();
                        store.deleteAsync(h.id);
                        status(h.bundleId, BundleStatus.State.DELETED, StatusReason.LIFETIME_EXPIRED);
                    }
                }
                if (now - lastPurge > 60_000) {
                    store.purgeSeen(now);
                    lastPurge = now;
                }
                for (String peer : config.peers()) {
                    ensureConnected(peer);
                }
                if (++passes % 5 == 0) {
                    for (List<LinkState> l : links.values()) {
                        LinkState ls = pick(l);
                        if (ls != null) {
                            sendRoutingSummary(ls.link);
                        }
                    }
                }
                rescan();
            } catch (DtnException | RuntimeException e) {
                if (!stopped.get()) {
                    LOG.warn("maintenance pass failed: {}", e.getMessage());
                }
            }
        }
    }

    private void ensureConnected(String address) {
        for (List<LinkState> l : links.values()) {
            for (LinkState s : l) {
                if (s.link.isOpen() && s.link.remoteAddress().equals(address)) {
                    return;
                }
            }
        }
        if (!connecting.add(address)) {
            return;
        }
        workers.execute(() -> {
            try {
                tcpcl.connect(address, null, config.tcpcl().handshakeTimeout());
            } catch (IOException e) {
                LOG.debug("neighbour {} not reachable: {}", address, e.getMessage());
            } finally {
                connecting.remove(address);
            }
        });
    }

    private void discovered(EndpointId peer, String address) {
        if (stopped.get() || peer.node().equals(nodeId) || neighbours().contains(peer.node())) {
            return;
        }
        if (nodeId.toString().compareTo(peer.node().toString()) > 0) {
            return; // the node with the smaller ID connects, so one session forms per pair
        }
        if (!connecting.add(address)) {
            return;
        }
        workers.execute(() -> {
            try {
                tcpcl.connect(address, peer, config.tcpcl().handshakeTimeout());
            } catch (IOException e) {
                LOG.debug("discovered neighbour {} at {} not reachable: {}", peer, address, e.getMessage());
            } finally {
                connecting.remove(address);
            }
        });
    }

    /** The node-local endpoint that takes neighbours' routing summaries (PRoPHET predictabilities). */
    static EndpointId routingEndpoint(EndpointId node) {
        return switch (node.node()) {
            case EndpointId.Dtn d -> EndpointId.dtn(d.nodeName(), "~routing");
            case EndpointId.Ipn i -> EndpointId.ipn(i.nodeNumber(), 0xFFFF_FFFFL);
        };
    }

    /** Sends this node's routing summary straight over {@code link} (not stored: it is only current on this contact). */
    private void sendRoutingSummary(ClaLink link) {
        Map<EndpointId, Double> summary = routing.summary(System.currentTimeMillis());
        if (summary.isEmpty() || !link.isOpen()) {
            return;
        }
        Map<org.aivillage.betanet.codec.CborValue, org.aivillage.betanet.codec.CborValue> m = new LinkedHashMap<>();
        summary.forEach((k, v) -> m.put(new org.aivillage.betanet.codec.CborValue.TextString(k.toString()),
                new org.aivillage.betanet.codec.CborValue.FloatValue(v)));
        Bundle b = Bundle.builder().source(nodeId).destination(routingEndpoint(link.peerNodeId()))
                .reportTo(EndpointId.NONE).creationTimestamp(nextTimestamp()).lifetimeMillis(60_000)
                .payload(org.aivillage.betanet.codec.Cbor.encode(new org.aivillage.betanet.codec.CborValue.CborMap(m)))
                .build();
        try {
            link.transmit(BundleCodec.encode(b));
        } catch (IOException e) {
            LOG.debug("routing summary to {} not sent: {}", link.peerNodeId(), e.getMessage());
        }
    }

    private void receiveRoutingSummary(ClaLink link, Bundle b) {
        try {
            if (!(org.aivillage.betanet.codec.Cbor.decode(b.payload())
                    instanceof org.aivillage.betanet.codec.CborValue.CborMap map)) {
                return;
            }
            Map<EndpointId, Double> summary = new LinkedHashMap<>();
            for (var e : map.entries().entrySet()) {
                if (e.getKey() instanceof org.aivillage.betanet.codec.CborValue.TextString t
                        && e.getValue() instanceof org.aivillage.betanet.codec.CborValue.FloatValue f
                        && f.value() >= 0 && f.value() <= 1 && summary.size() < 100_000) {
                    summary.put(EndpointId.parse(t.text()).node(), f.value());
                }
            }
            routing.peerSummary(b.primary().source().node(), summary, System.currentTimeMillis());
            workers.execute(this::rescan);
        } catch (CodecException | IllegalArgumentException e) {
            LOG.debug("ignoring malformed routing summary from {}: {}", link.peerNodeId(), e.getMessage());
        }
    }

    private final class NodeClaListener implements ClaListener {
        @Override
        public void linkUp(ClaLink link) {
            EndpointId peer = link.peerNodeId().node();
            LinkState ls = new LinkState(link);
            links.computeIfAbsent(peer, k -> new CopyOnWriteArrayList<>()).add(ls);
            ls.forwarder.start();
            long now = System.currentTimeMillis();
            routing.contactUp(peer, now);
            sendRoutingSummary(link);
            LOG.info("{}: link up to {} via {} {}", nodeId, peer, link.scheme(), link.remoteAddress());
            workers.execute(DtnNode.this::rescan);
        }

        @Override
        public void linkDown(ClaLink link) {
            EndpointId peer = link.peerNodeId().node();
            List<LinkState> l = links.get(peer);
            if (l != null) {
                l.removeIf(s -> s.link == link);
                if (l.isEmpty()) {
                    links.remove(peer, l);
                    routing.contactDown(peer, System.currentTimeMillis());
                }
            }
            LOG.info("{}: link down to {}", nodeId, peer);
        }

        @Override
        public CompletionStage<Void> bundleReceived(ClaLink link, byte[] bytes) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (stopped.get()) {
                f.completeExceptionally(new BundleRefusedException(BundleRefusedException.SESSION_TERMINATING, "stopping"));
                return f;
            }
            workers.execute(() -> {
                try {
                    Bundle b = BundleCodec.decode(bytes);
                    if (b.primary().destination().equals(routingEndpoint(nodeId))) {
                        receiveRoutingSummary(link, b);
                        f.complete(null);
                        return;
                    }
                    if (routing.initialCopies() > 1 || b.block(ROUTING_COPIES_BLOCK).isEmpty()) {
                        accept(b, bytes, link, false);
                    } else {
                        accept(b.withoutBlock(b.block(ROUTING_COPIES_BLOCK).get().number()), link, false);
                    }
                    f.complete(null);
                } catch (CodecException e) {
                    refused.increment();
                    f.completeExceptionally(new BundleRefusedException(BundleRefusedException.NOT_ACCEPTABLE,
                            "malformed bundle: " + e.getMessage()));
                } catch (StoreFullException e) {
                    refused.increment();
                    f.completeExceptionally(new BundleRefusedException(BundleRefusedException.NO_RESOURCES, e.getMessage()));
                } catch (DtnException | RuntimeException e) {
                    refused.increment();
                    f.completeExceptionally(new BundleRefusedException(BundleRefusedException.NOT_ACCEPTABLE, e.getMessage()));
                }
            });
            return f;
        }
    }

    // ---- shutdown ------------------------------------------------------------------------------

    /** Stops the node: closes discovery, links and layers, waits for pending store writes, closes the store. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (discovery != null) {
            discovery.close();
        }
        if (maintenance != null) {
            maintenance.interrupt();
        }
        for (ConvergenceLayer l : layers) {
            l.close();
        }
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != null) {
            store.close();
        }
        LOG.info("DTN node {} stopped", nodeId);
    }

    @Override
    public void close() {
        stop();
    }
}
