package org.aivillage.betanet.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.aivillage.betanet.client.internal.PathSelector;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.Hop;
import org.aivillage.betanet.mixnode.Link;
import org.aivillage.betanet.mixnode.LinkFrame;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.SphinxException;
import org.aivillage.betanet.mixnode.Surb;
import org.aivillage.betanet.mixnode.SurbSecrets;
import org.aivillage.betanet.mixnode.Topology;
import org.aivillage.betanet.mixnode.TopologyException;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BetaNet mixnet client (the seed's BetaNetClient): {@link #connect()} loads and verifies the
 * signed topology, {@link #createCircuit} chooses hops per Betanet §7.2 and links to the entry
 * node, {@link #sendMessage} sends a message through the circuit to a gateway service and returns the
 * response that came back through SURBs (fragmenting, acknowledging and retrying as needed),
 * {@link #closeCircuit} and {@link #disconnect()} release what they hold. Thread-safe and blocking.
 */
public final class BetaNetClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BetaNetClient.class);
    private static final int MAX_IN_FLIGHT = 256;
    private static final int MAX_SURBS = 8192;
    private static final int MAX_CIRCUITS = 1024;

    private record Circuit(String id, CircuitConfig config, TopologyNode gateway, List<TopologyNode> forward,
                           List<TopologyNode> reply, TopologyNode entry, PathSelector.Selection selection) {}

    private record PendingSurb(SurbSecrets secrets, String msgKey) {}

    private final ClientConfig config;
    private final KeyPair identity;
    private final byte[] peerId;
    private final PathSelector selector;
    /** The reply mailbox this client registers with its entry nodes: the high 8 bytes of every SURB id. */
    private final long mailbox = RouteId.of(Randomness.bytes(RouteId.LENGTH)).hi() | 1;
    private final AtomicLong surbCounter = new AtomicLong(1);
    private final Map<RouteId, Link> links = new ConcurrentHashMap<>();
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();
    private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final Map<RouteId, PendingSurb> surbs = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RouteId, PendingSurb> e) {
            if (size() > MAX_SURBS) {
                e.getValue().secrets().destroy();
                return true;
            }
            return false;
        }
    });
    private final Map<RouteId, Long> loops = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RouteId, Long> e) {
            return size() > 4096;
        }
    });
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong loopsSent = new AtomicLong();
    private final AtomicLong loopsReturned = new AtomicLong();
    private final AtomicLong dropsSent = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private final LinkTransport.Handler handler = (link, frame) -> onFrame(frame);
    private volatile Topology topology;
    private volatile boolean connected;
    private Thread refresher;
    private Thread cover;

    public BetaNetClient(ClientConfig config) {
        this.config = config;
        this.identity = config.identity() != null ? config.identity() : Ed25519.generateKeyPair();
        this.peerId = peerId(identity.publicKey());
        // K0c: without an HTX session key to the entry, a per-client secret stands in (docs/protocols/path-selection.md).
        byte[] vrfKey = identity.privateKey();
        this.selector = new PathSelector(vrfKey, peerId, config.sourceAsGroup(), config.beaconSource(),
                Hashes.sha256("bn-k0c".getBytes(), vrfKey), config.clock());
        Arrays.fill(vrfKey, (byte) 0);
    }

    static byte[] peerId(byte[] key) {
        byte[] out = new byte[34];
        out[0] = 0x12;
        out[1] = 0x20;
        System.arraycopy(Hashes.sha256(key), 0, out, 2, 32);
        return out;
    }

    /** Loads the signed topology (refusing unsigned or stale ones) and starts the refresher and cover traffic. */
    public synchronized void connect() throws BetaNetException {
        if (connected) {
            return;
        }
        topology = fetchTopology();
        connected = true;
        refresher = Thread.ofVirtual().name("client-topology").start(this::refreshLoop);
        if (config.coverTraffic()) {
            cover = Thread.ofVirtual().name("client-cover").start(this::coverLoop);
        }
        log.info("connected: topology #{} with {} mixnodes, {} gateways", topology.serial(), topology.mixnodes().size(),
                topology.gateways().size());
    }

    private Topology fetchTopology() throws BetaNetException {
        try {
            return config.topologySource().fetch(config.authorityKey(), config.clock(), config.connectionTimeout());
        } catch (IOException e) {
            throw new BetaNetException("cannot load the topology from " + config.topologySource().describe() + ": "
                    + e.getMessage(), e);
        } catch (TopologyException e) {
            throw new BetaNetException("refusing the topology from " + config.topologySource().describe() + ": "
                    + e.getMessage(), e);
        }
    }

    public Topology topology() {
        return topology;
    }

    /** Creates a circuit and returns its id. */
    public String createCircuit(CircuitConfig cc) throws BetaNetException {
        requireConnected();
        if (circuits.size() >= MAX_CIRCUITS) {
            throw new BetaNetException("too many open circuits (" + MAX_CIRCUITS + ")");
        }
        int hops = cc.effectiveHops();
        int min = config.privacyMode().minHops(cc.service());
        if (hops < min) {
            throw new BetaNetException("privacy mode " + config.privacyMode() + " needs at least " + min
                    + " mix hops for '" + cc.service() + "', circuit asked for " + hops);
        }
        Topology t = topology;
        List<TopologyNode> gws = t.gateways().stream()
                .filter(g -> cc.gateway() == null || g.routeId().toString().startsWith(cc.gateway())).toList();
        if (gws.isEmpty()) {
            throw new BetaNetException(cc.gateway() == null ? "the topology lists no gateway"
                    : "no gateway matches '" + cc.gateway() + "'");
        }
        TopologyNode gateway = gws.get(Randomness.nextInt(gws.size()));
        PathSelector.Selection sel = selector.select(t, gateway, hops, Randomness.bytes(16));
        TopologyNode entry = hops == 0 ? gateway : sel.forward().getFirst();
        link(entry);
        String id = "c-" + HexFormat.of().formatHex(Randomness.bytes(6));
        circuits.put(id, new Circuit(id, cc, gateway, sel.forward(), sel.reply(), entry, sel));
        log.debug("circuit {}: {} -> {} via {}", id, cc.anonymityLevel(), gateway, sel.forward());
        return id;
    }

    /** The circuit's route and how it was chosen. */
    public Optional<CircuitInfo> circuit(String circuitId) {
        Circuit c = circuits.get(circuitId);
        if (c == null) {
            return Optional.empty();
        }
        return Optional.of(new CircuitInfo(c.id(), c.forward().stream().map(n -> n.routeId().shortString()).toList(),
                c.reply().stream().map(n -> n.routeId().shortString()).toList(), c.gateway().routeId().shortString(),
                c.config().service(), c.config().anonymityLevel(), c.selection().epoch(), c.selection().fallbackBeacon(),
                c.selection().candidate()));
    }

    public void closeCircuit(String circuitId) {
        circuits.remove(circuitId);
    }

    /** Sends through the circuit and waits (up to the configured request timeout) for the response. */
    public byte[] sendMessage(String circuitId, byte[] message) throws BetaNetException {
        return sendMessage(circuitId, message, config.requestTimeout());
    }

    /**
     * Sends {@code message} through the circuit to its gateway service and returns the response. Lost
     * fragments are retried up to the configured retry attempts, splitting {@code timeout} evenly.
     *
     * @throws BetaNetTimeoutException when no complete response arrived in time
     */
    public byte[] sendMessage(String circuitId, byte[] message, Duration timeout) throws BetaNetException {
        requireConnected();
        Circuit c = circuits.get(circuitId);
        if (c == null) {
            throw new BetaNetException("unknown or closed circuit " + circuitId);
        }
        int count = Math.max(1, (message.length + MixMessage.REQUEST_DATA - 1) / MixMessage.REQUEST_DATA);
        if (count > MixMessage.MAX_FRAGMENTS) {
            throw new BetaNetException("message of " + message.length + " bytes exceeds the limit of "
                    + (MixMessage.MAX_FRAGMENTS * MixMessage.REQUEST_DATA) + " bytes");
        }
        if (exchanges.size() >= MAX_IN_FLIGHT) {
            throw new BetaNetException("too many messages in flight (" + MAX_IN_FLIGHT + ")");
        }
        byte[] msgId = Randomness.bytes(16);
        Exchange ex = new Exchange(msgId, count);
        exchanges.put(ex.key, ex);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            long perAttempt = timeout.toNanos() / (config.retryAttempts() + 1);
            BitSet toSend = new BitSet();
            toSend.set(0, count);
            for (int attempt = 0; ; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                }
                BitSet missingResponse = ex.missingResponse();
                if (!ex.requestComplete()) {
                    for (int i = toSend.nextSetBit(0); i >= 0; i = toSend.nextSetBit(i + 1)) {
                        sendFragment(c, ex, message, i, count);
                    }
                } else if (missingResponse != null) {
                    int n = Math.min(missingResponse.cardinality(), 4);
                    for (int k = 0; k < n; k++) {
                        sendOn(c, new MixMessage.Resend(msgId, ex.responseCount(), missingResponse, surb(c, ex)).encode());
                    }
                }
                long waitUntil = Math.min(deadline, System.nanoTime() + perAttempt);
                ex.awaitProgress(waitUntil, this, c);
                if (ex.done()) {
                    return ex.result(c);
                }
                if (attempt >= config.retryAttempts() || System.nanoTime() >= deadline) {
                    throw new BetaNetTimeoutException(ex.describeTimeout(circuitId, c.gateway(), attempt + 1, timeout));
                }
                toSend = ex.unacknowledged();
            }
        } finally {
            exchanges.remove(ex.key);
            ex.releaseSurbs();
        }
    }

    private void sendFragment(Circuit c, Exchange ex, byte[] message, int index, int count) throws BetaNetException {
        int from = index * MixMessage.REQUEST_DATA;
        byte[] data = Arrays.copyOfRange(message, Math.min(from, message.length),
                Math.min(message.length, from + MixMessage.REQUEST_DATA));
        sendOn(c, new MixMessage.RequestFragment(ex.msgId, index, count, c.config().service(), surb(c, ex), data).encode());
    }

    void supplySurbs(Circuit c, Exchange ex, int need) throws BetaNetException {
        int bounded = Math.min(need, MixMessage.MAX_FRAGMENTS);
        for (int sent = 0; sent < bounded; sent += MixMessage.MAX_SUPPLY) {
            List<Surb> batch = new ArrayList<>();
            for (int k = 0; k < MixMessage.MAX_SUPPLY && sent + k < bounded; k++) {
                batch.add(surb(c, ex));
            }
            sendOn(c, new MixMessage.SurbSupply(ex.msgId, batch).encode());
        }
    }

    /** Hops for the nodes with their keys of the current key epoch and fresh exponential delays. */
    private List<Hop> hops(List<TopologyNode> nodes, AnonymityLevel level, boolean lastDelayZero) throws BetaNetException {
        Topology t = topology;
        long epoch = t.keyEpochAt(config.clock().instant());
        List<Hop> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            TopologyNode fresh = t.node(nodes.get(i).routeId()).orElseThrow(
                    () -> new BetaNetException("a circuit hop left the topology; create a new circuit"));
            TopologyNode.EpochKey k = fresh.keyFor(epoch).orElseThrow(
                    () -> new BetaNetException("node " + fresh.routeId().shortString() + " has no key for epoch " + epoch));
            int delay = lastDelayZero && i == nodes.size() - 1 ? 0 : exponentialMillis(level.meanDelayPerHop());
            out.add(new Hop(fresh.routeId(), k.publicKey(), (int) (epoch & 0xff), delay));
        }
        return out;
    }

    private static int exponentialMillis(Duration mean) {
        long m = mean.toMillis();
        return m <= 0 ? 0 : (int) Math.min(60_000, Math.round(-m * Math.log(1 - Randomness.nextDouble())));
    }

    private Surb surb(Circuit c, Exchange ex) throws BetaNetException {
        List<TopologyNode> route = new ArrayList<>(c.reply());
        route.add(c.entry());
        RouteId surbId = new RouteId(mailbox, surbCounter.getAndIncrement());
        Sphinx.SurbAndSecrets s = Sphinx.createSurb(hops(route, c.config().anonymityLevel(), true), surbId,
                Sphinx.RandomSource.SECURE);
        surbs.put(surbId, new PendingSurb(s.secrets(), ex.key));
        ex.surbIds.add(surbId);
        return s.surb();
    }

    private void sendOn(Circuit c, byte[] message) throws BetaNetException {
        List<TopologyNode> route = new ArrayList<>(c.forward());
        route.add(c.gateway());
        byte[] packet = Sphinx.createPacket(hops(route, c.config().anonymityLevel(), true), Sphinx.Command.DELIVER,
                c.gateway().routeId(), message, Sphinx.RandomSource.SECURE);
        Link link = link(c.entry());
        if (!link.send(new LinkFrame.Packet(packet))) {
            throw new BetaNetException("the link to " + c.entry().address() + " is congested");
        }
        packetsSent.incrementAndGet();
    }

    private Link link(TopologyNode entry) throws BetaNetException {
        Link l = links.get(entry.routeId());
        if (l != null && l.isOpen()) {
            return l;
        }
        synchronized (links) {
            l = links.get(entry.routeId());
            if (l != null && l.isOpen()) {
                return l;
            }
            try {
                l = config.transport().connect(entry.address(), handler, config.connectionTimeout());
            } catch (IOException e) {
                throw new BetaNetException("cannot connect to entry node " + entry.routeId().shortString() + " at "
                        + entry.address() + ": " + e.getMessage(), e);
            }
            l.send(new LinkFrame.Register(new RouteId(mailbox, 0)));
            links.put(entry.routeId(), l);
            return l;
        }
    }

    private void onFrame(LinkFrame frame) {
        if (!(frame instanceof LinkFrame.Reply r)) {
            return;
        }
        if (loops.remove(r.surbId()) != null) {
            loopsReturned.incrementAndGet();
            return;
        }
        PendingSurb p = surbs.remove(r.surbId());
        if (p == null) {
            undecryptable.incrementAndGet();
            return;
        }
        try {
            byte[] plain = Sphinx.openReply(p.secrets(), r.payload());
            MixMessage m = MixMessage.decode(plain);
            replies.incrementAndGet();
            Exchange ex = exchanges.get(p.msgKey());
            if (ex != null && Arrays.equals(ex.msgId, m.msgId())) {
                ex.onMessage(m);
            }
        } catch (SphinxException | MessageFormatException e) {
            undecryptable.incrementAndGet();
            log.debug("reply refused: {}", e.getMessage());
        } finally {
            p.secrets().destroy();
        }
    }

    /** One request/response exchange. */
    final class Exchange {
        final byte[] msgId;
        final String key;
        final int requestCount;
        final BitSet acked = new BitSet();
        final List<RouteId> surbIds = java.util.Collections.synchronizedList(new ArrayList<>());
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        int responseCount = -1;
        byte[][] response;
        int received;
        int status;
        int needSurbs;
        int acks;

        Exchange(byte[] msgId, int requestCount) {
            this.msgId = msgId;
            this.key = HexFormat.of().formatHex(msgId);
            this.requestCount = requestCount;
        }

        void onMessage(MixMessage m) {
            lock.lock();
            try {
                switch (m) {
                    case MixMessage.Ack a -> {
                        acked.or(a.received());
                        acks++;
                    }
                    case MixMessage.ResponseFragment f -> {
                        acked.set(0, requestCount);
                        if (responseCount < 0) {
                            responseCount = f.count();
                            response = new byte[f.count()][];
                        }
                        if (f.count() == responseCount && response[f.index()] == null) {
                            response[f.index()] = f.data();
                            received++;
                            status = f.status();
                        }
                        needSurbs = Math.max(needSurbs, f.needSurbs());
                    }
                    default -> { }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until done, the deadline, or progress; answers SURB requests on the way. */
        void awaitProgress(long deadlineNanos, BetaNetClient client, Circuit c) throws BetaNetException {
            while (true) {
                int need;
                lock.lock();
                try {
                    while (!done() && needSurbs == 0) {
                        long left = deadlineNanos - System.nanoTime();
                        if (left <= 0) {
                            return;
                        }
                        changed.awaitNanos(left);
                    }
                    if (done()) {
                        return;
                    }
                    need = needSurbs;
                    needSurbs = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BetaNetException("interrupted while waiting for the reply");
                } finally {
                    lock.unlock();
                }
                client.supplySurbs(c, this, need);
            }
        }

        boolean done() {
            lock.lock();
            try {
                return responseCount > 0 && received == responseCount;
            } finally {
                lock.unlock();
            }
        }

        boolean requestComplete() {
            lock.lock();
            try {
                return acked.cardinality() >= requestCount;
            } finally {
                lock.unlock();
            }
        }

        BitSet unacknowledged() {
            lock.lock();
            try {
                BitSet b = new BitSet();
                b.set(0, requestCount);
                b.andNot(acked);
                return b;
            } finally {
                lock.unlock();
            }
        }

        int responseCount() {
            lock.lock();
            try {
                return responseCount;
            } finally {
                lock.unlock();
            }
        }

        /** Response fragments still missing, or null before the first one arrived. */
        BitSet missingResponse() {
            lock.lock();
            try {
                if (responseCount < 0) {
                    return null;
                }
                BitSet b = new BitSet();
                for (int i = 0; i < responseCount; i++) {
                    if (response[i] == null) {
                        b.set(i);
                    }
                }
                return b;
            } finally {
                lock.unlock();
            }
        }

        byte[] result(Circuit c) throws BetaNetException {
            lock.lock();
            try {
                int total = 0;
                for (byte[] r : response) {
                    total += r.length;
                }
                byte[] out = new byte[total];
                int pos = 0;
                for (byte[] r : response) {
                    System.arraycopy(r, 0, out, pos, r.length);
                    pos += r.length;
                }
                return switch (status) {
                    case MixMessage.OK -> out;
                    case MixMessage.UNKNOWN_SERVICE -> throw new BetaNetException("gateway " + c.gateway().routeId().shortString()
                            + " has no service '" + c.config().service() + "'");
                    case MixMessage.TOO_LARGE -> throw new BetaNetException("gateway refused: " + new String(out));
                    default -> throw new BetaNetException("service '" + c.config().service() + "' failed: " + new String(out));
                };
            } finally {
                lock.unlock();
            }
        }

        String describeTimeout(String circuitId, TopologyNode gateway, int attempts, Duration timeout) {
            lock.lock();
            try {
                return "no complete reply from gateway " + gateway.routeId().shortString() + " over circuit " + circuitId
                        + " within " + timeout.toMillis() + " ms after " + attempts + " attempt(s): "
                        + acked.cardinality() + "/" + requestCount + " request fragments acknowledged, "
                        + Math.max(0, received) + "/" + (responseCount < 0 ? "?" : responseCount) + " response fragments received";
            } finally {
                lock.unlock();
            }
        }

        void releaseSurbs() {
            synchronized (surbIds) {
                for (RouteId id : surbIds) {
                    PendingSurb p = surbs.remove(id);
                    if (p != null) {
                        p.secrets().destroy();
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ background

    private void refreshLoop() {
        while (connected) {
            try {
                Topology t = topology;
                long untilStale = Duration.between(config.clock().instant(), t.validUntil()).toMillis();
                Thread.sleep(Math.max(1000, Math.min(60_000, untilStale / 2)));
                topology = fetchTopology();
            } catch (InterruptedException e) {
                return;
            } catch (BetaNetException e) {
                log.warn("topology refresh failed (keeping #{} until it goes stale): {}", topology.serial(), e.getMessage());
            }
        }
    }

    private void coverLoop() {
        while (connected) {
            Circuit c = circuits.values().stream().filter(x -> !x.forward().isEmpty())
                    .max((a, b) -> Double.compare(rate(a), rate(b))).orElse(null);
            double total = c == null ? 0 : rate(c);
            try {
                if (total <= 0) {
                    Thread.sleep(500);
                    continue;
                }
                Thread.sleep(Math.max(1, Math.round(-1000.0 / total * Math.log(1 - Randomness.nextDouble()))));
                boolean loop = Randomness.nextDouble() * total < c.config().anonymityLevel().loopRate();
                sendCover(c, loop);
            } catch (InterruptedException e) {
                return;
            } catch (BetaNetException | RuntimeException e) {
                log.debug("cover packet not sent: {}", e.toString());
            }
        }
    }

    private static double rate(Circuit c) {
        return c.config().anonymityLevel().loopRate() + c.config().anonymityLevel().dropRate();
    }

    private void sendCover(Circuit c, boolean loop) throws BetaNetException {
        Topology t = topology;
        List<TopologyNode> route = new ArrayList<>();
        route.add(c.entry());
        for (int layer = 2; layer <= t.layerCount(); layer++) {
            List<TopologyNode> l = t.layer(layer);
            route.add(l.get(Randomness.nextInt(l.size())));
        }
        RouteId address;
        Sphinx.Command cmd;
        if (loop) {
            route.add(c.entry());
            address = new RouteId(mailbox, surbCounter.getAndIncrement());
            loops.put(address, System.nanoTime());
            cmd = Sphinx.Command.SURB_DELIVER;
        } else {
            address = RouteId.random();
            cmd = Sphinx.Command.DROP;
        }
        byte[] packet = Sphinx.createPacket(hops(route, c.config().anonymityLevel(), true), cmd, address, new byte[0],
                Sphinx.RandomSource.SECURE);
        if (link(c.entry()).send(new LinkFrame.Packet(packet))) {
            (loop ? loopsSent : dropsSent).incrementAndGet();
        }
    }

    public ClientStats stats() {
        return new ClientStats(packetsSent.get(), retries.get(), replies.get(), loopsSent.get(), loopsReturned.get(),
                dropsSent.get(), undecryptable.get());
    }

    /** This client's PeerID (multihash of its identity key). */
    public byte[] peerId() {
        return peerId.clone();
    }

    private void requireConnected() throws BetaNetException {
        if (!connected) {
            throw new BetaNetException("not connected: call connect() first");
        }
    }

    /** Closes every circuit and link and stops background work. */
    public synchronized void disconnect() {
        if (!connected) {
            return;
        }
        connected = false;
        if (refresher != null) {
            refresher.interrupt();
        }
        if (cover != null) {
            cover.interrupt();
        }
        circuits.clear();
        links.values().forEach(Link::close);
        links.clear();
        synchronized (surbs) {
            surbs.values().forEach(p -> p.secrets().destroy());
            surbs.clear();
        }
        for (Thread t : new Thread[] {refresher, cover}) {
            if (t != null) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public boolean isConnected() {
        return connected;
    }

    @Override
    public void close() {
        disconnect();
    }
}
