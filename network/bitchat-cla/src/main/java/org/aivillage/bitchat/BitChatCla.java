package org.aivillage.bitchat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.aivillage.bitchat.internal.MeshRouter;
import org.aivillage.bitchat.transport.TcpTransport;
import org.aivillage.bitchat.transport.UdpMulticastTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BitChat mesh node: the seed's {@code BitChatCLA} ({@code start_discovery},
 * {@code get_discovered_peers}, {@code send_message}, {@code receive_message}, {@code stop_discovery},
 * {@code shutdown}) over BitChat's binary protocol.
 *
 * <pre>{@code
 * try (BitChatCla node = new BitChatCla(PeerConfig.builder().nickname("alice").build())) {
 *     node.startDiscovery();
 *     String id = node.sendMessage(MessageConfig.text(bobId, "hi bob"));     // Noise XX, acknowledged
 *     node.sendMessage(MessageConfig.publicText("hello everyone"));           // signed broadcast
 *     Optional<ReceivedMessage> m = node.receiveMessage(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * Thread-safe; the blocking call {@link #receiveMessage(Duration)} takes a timeout. Closing sends a
 * signed {@code leave}, then stops the transports and timers.
 */
public final class BitChatCla implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BitChatCla.class);

    private final PeerConfig config;
    private final BitChatIdentity identity;
    private final MeshRouter router;
    private final MeshScheduler scheduler;
    private final boolean ownsScheduler;
    private final List<Transport> transports;
    private final BlockingQueue<ReceivedMessage> inbox;
    private final AtomicLong inboxOverflow = new AtomicLong();
    private final List<BitChatListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A node with a fresh (or {@code identityDir}) identity and the transports {@code config} asks for. */
    public BitChatCla(PeerConfig config) throws IOException {
        this(builder(config));
    }

    private BitChatCla(Builder b) throws IOException {
        this.config = b.config;
        this.identity = b.identity != null ? b.identity
                : config.identityDir().isPresent() ? BitChatIdentity.loadOrCreate(config.identityDir().get())
                : BitChatIdentity.generate();
        if (config.peerId().isPresent() && !config.peerId().get().equals(identity.peerId())) {
            throw new IllegalArgumentException("configured peer_id " + config.peerId().get()
                    + " does not match the identity's peer id " + identity.peerId()
                    + " (BitChat derives it from the Noise key)");
        }
        this.inbox = new ArrayBlockingQueue<>(config.inboxCapacity());
        this.listeners.addAll(b.listeners);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : MeshScheduler.system();
        this.router = new MeshRouter(identity, config, scheduler, b.relayPolicy, b.random, new Dispatch());
        List<Transport> all = new ArrayList<>(b.transports);
        if (b.defaultTransports) {
            if (config.listenPort() >= 0 || !config.staticPeers().isEmpty()) {
                InetSocketAddress bind = config.listenPort() >= 0
                        ? new InetSocketAddress(config.bindAddress(), config.listenPort()) : null;
                all.add(new TcpTransport(bind, config.staticPeers()));
            }
        }
        List<Transport> started = new ArrayList<>();
        try {
            for (Transport t : all) {
                router.addTransport(t);
            }
            router.start();
            for (Transport t : all) {
                t.start(router);
                started.add(t);
            }
            if (b.defaultTransports && config.discoveryEnabled() && config.multicastGroup() != null) {
                UdpMulticastTransport mc = new UdpMulticastTransport(config.multicastGroup(),
                        config.multicastInterface(), config.peerTimeout());
                try {
                    mc.start(router);
                    router.addTransport(mc);
                    started.add(mc);
                } catch (IOException | RuntimeException e) {
                    mc.close();
                    LOG.atWarn().setMessage("udp multicast unavailable; static peers only")
                            .addKeyValue("group", config.multicastGroup()).addKeyValue("error", e.toString()).log();
                }
            }
        } catch (IOException | RuntimeException e) {
            router.close(false);
            for (Transport t : started) {
                t.close();
            }
            if (ownsScheduler) {
                scheduler.close();
            }
            throw e;
        }
        this.transports = List.copyOf(started);
        if (b.meterRegistry != null) {
            bindMetrics(b.meterRegistry);
        }
        LOG.atInfo().setMessage("bitchat node started").addKeyValue("peer_id", identity.peerId())
                .addKeyValue("fingerprint", identity.fingerprint()).log();
    }

    public static Builder builder(PeerConfig config) {
        return new Builder(config);
    }

    /** Options beyond {@link PeerConfig}: identity, transports, clock, relay policy, metrics. */
    public static final class Builder {
        private final PeerConfig config;
        private BitChatIdentity identity;
        private final List<Transport> transports = new ArrayList<>();
        private boolean defaultTransports = true;
        private MeshScheduler scheduler;
        private RelayPolicy relayPolicy = RelayPolicy.adaptive();
        private RandomGenerator random = new java.security.SecureRandom();
        private final List<BitChatListener> listeners = new ArrayList<>();
        private MeterRegistry meterRegistry;

        Builder(PeerConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        public Builder identity(BitChatIdentity v) {
            identity = v;
            return this;
        }

        /** Adds a transport; the TCP and multicast transports from the config are still added unless
         *  {@link #defaultTransports(boolean) defaultTransports(false)}. */
        public Builder transport(Transport t) {
            transports.add(t);
            return this;
        }

        public Builder defaultTransports(boolean v) {
            defaultTransports = v;
            return this;
        }

        /** A shared clock (simulation); default: the system clock with the node's own timer thread. */
        public Builder scheduler(MeshScheduler v) {
            scheduler = v;
            return this;
        }

        public Builder relayPolicy(RelayPolicy v) {
            relayPolicy = Objects.requireNonNull(v);
            return this;
        }

        /** Randomness for relay decisions and jitter (fix a seed for reproducible simulations). */
        public Builder random(RandomGenerator v) {
            random = Objects.requireNonNull(v);
            return this;
        }

        public Builder listener(BitChatListener l) {
            listeners.add(Objects.requireNonNull(l));
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            meterRegistry = r;
            return this;
        }

        public BitChatCla build() throws IOException {
            return new BitChatCla(this);
        }
    }

    // ------------------------------------------------------------------ the seed's API

    /** Starts announcing this node (BitChat's presence announce) now and periodically. */
    public void startDiscovery() {
        requireOpen();
        router.startAnnouncing();
    }

    /** Stops announcing; links and relaying stay up. */
    public void stopDiscovery() {
        router.stopAnnouncing();
    }

    public boolean isDiscovering() {
        return router.isAnnouncing();
    }

    /** Every peer learned from a verified announce, online or not. */
    public List<DiscoveredPeer> getDiscoveredPeers() {
        return router.peers();
    }

    /** The known peer with this nickname (case-insensitive, online first) or 16-hex peer ID. */
    public Optional<DiscoveredPeer> findPeer(String nicknameOrId) {
        List<DiscoveredPeer> all = router.peers();
        for (DiscoveredPeer p : all) {
            if (p.peerId().toHex().equalsIgnoreCase(nicknameOrId)) {
                return Optional.of(p);
            }
        }
        return all.stream().filter(p -> p.nickname().equalsIgnoreCase(nicknameOrId))
                .sorted((a, b) -> Boolean.compare(b.online(), a.online())).findFirst();
    }

    /**
     * Sends a message and returns its ID. A private message is queued until a Noise XX session with
     * the recipient exists, sent end-to-end encrypted, retransmitted until acknowledged, and kept for
     * an offline recipient (bounded, priority-aware, until its time to live). A broadcast is signed
     * and flooded.
     */
    public String sendMessage(MessageConfig message) {
        requireOpen();
        return router.send(message);
    }

    /** The next received message, waiting up to {@code timeout}; empty when none arrived. */
    public Optional<ReceivedMessage> receiveMessage(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The next received message if one is waiting. */
    public Optional<ReceivedMessage> receiveMessage() {
        return Optional.ofNullable(inbox.poll());
    }

    public DeliveryStatus deliveryStatus(String messageId) {
        return router.status(messageId);
    }

    /** Sends a read receipt for a received private message. */
    public void markRead(ReceivedMessage message) {
        if (message.privateMessage()) {
            router.markRead(message.sender(), message.messageId());
        }
    }

    /** Sends a signed leave, stops announcing, closes transports and timers. Idempotent. */
    public void shutdown() {
        close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        router.close(true);
        for (Transport t : transports) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("closing transport " + t.name(), e);
            }
        }
        if (ownsScheduler) {
            scheduler.close();
        }
        LOG.atInfo().setMessage("bitchat node stopped").addKeyValue("peer_id", identity.peerId()).log();
    }

    // ------------------------------------------------------------------ more

    public void addListener(BitChatListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removeListener(BitChatListener l) {
        listeners.remove(l);
    }

    public MeshPeerId peerId() {
        return identity.peerId();
    }

    public String fingerprint() {
        return identity.fingerprint();
    }

    public String nickname() {
        return config.nicknameOr(identity.peerId());
    }

    public PeerConfig config() {
        return config;
    }

    public NodeStats stats() {
        return router.stats();
    }

    /** Received messages dropped because the inbox was full and nobody called {@link #receiveMessage}. */
    public long inboxOverflow() {
        return inboxOverflow.get();
    }

    /** The running transports. */
    public List<Transport> transports() {
        return transports;
    }

    /** The TCP listener's address, if this node has one. */
    public Optional<InetSocketAddress> tcpAddress() {
        return transports.stream().filter(TcpTransport.class::isInstance).map(t -> ((TcpTransport) t).localAddress())
                .filter(Objects::nonNull).findFirst();
    }

    /** Number of direct neighbours over all transports. */
    public int neighborCount() {
        return router.degree();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the node is shut down");
        }
    }

    private void bindMetrics(MeterRegistry r) {
        counter(r, "bitchat_frames_received", "Frames handed up by transports", s -> s.framesReceived());
        counter(r, "bitchat_frames_sent", "Frames handed to transports", s -> s.framesSent());
        counter(r, "bitchat_packets_relayed", "Packets rebroadcast for others", s -> s.packetsRelayed());
        counter(r, "bitchat_retransmissions", "Own packets resent for want of a relayed echo", s -> s.retransmissions());
        counter(r, "bitchat_relays_declined", "Relays declined by the relay policy", s -> s.relaysDeclined());
        counter(r, "bitchat_relays_suppressed", "Relays cancelled after overhearing copies", s -> s.relaysSuppressed());
        counter(r, "bitchat_duplicates", "Packets dropped as duplicates", s -> s.duplicates());
        counter(r, "bitchat_malformed", "Frames that did not decode", s -> s.malformed());
        counter(r, "bitchat_bad_signatures", "Packets with a bad signature or key binding", s -> s.badSignatures());
        counter(r, "bitchat_replays", "Replayed or out-of-window packets", s -> s.replays());
        counter(r, "bitchat_decrypt_failures", "Noise messages that failed", s -> s.decryptFailures());
        counter(r, "bitchat_messages_delivered", "Messages delivered to the application", s -> s.messagesDelivered());
        Gauge.builder("bitchat_stored_messages", this, c -> c.stats().storedMessages())
                .description("Messages held for offline peers").register(r);
        Gauge.builder("bitchat_peers_online", this, c -> c.getDiscoveredPeers().stream().filter(DiscoveredPeer::online).count())
                .description("Peers seen within the peer timeout").register(r);
        Gauge.builder("bitchat_neighbors", this, BitChatCla::neighborCount)
                .description("Direct neighbours over all transports").register(r);
    }

    private void counter(MeterRegistry r, String name, String description, ToDoubleFunction<NodeStats> f) {
        FunctionCounter.builder(name, this, c -> f.applyAsDouble(c.stats())).description(description).register(r);
    }

    /** Turns router events into inbox entries and listener calls. */
    private final class Dispatch implements MeshRouter.Events {
        @Override
        public void message(ReceivedMessage m) {
            while (!inbox.offer(m)) {
                if (inbox.poll() != null) {
                    inboxOverflow.incrementAndGet(); // drop the oldest, keep the newest
                }
            }
            for (BitChatListener l : listeners) {
                l.onMessage(m);
            }
        }

        @Override
        public void peerDiscovered(DiscoveredPeer p) {
            for (BitChatListener l : listeners) {
                l.onPeerDiscovered(p);
            }
        }

        @Override
        public void peerLost(MeshPeerId id, String nick) {
            for (BitChatListener l : listeners) {
                l.onPeerLost(id, nick);
            }
        }

        @Override
        public void deliveryStatus(String id, MeshPeerId recipient, DeliveryStatus s) {
            for (BitChatListener l : listeners) {
                l.onDeliveryStatus(id, recipient, s);
            }
        }
    }
}
