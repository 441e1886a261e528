package org.aivillage.bitchat.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.bitchat.BitChatIdentity;
import org.aivillage.bitchat.ContentType;
import org.aivillage.bitchat.DeliveryStatus;
import org.aivillage.bitchat.DiscoveredPeer;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.MeshScheduler;
import org.aivillage.bitchat.MessageConfig;
import org.aivillage.bitchat.Neighbor;
import org.aivillage.bitchat.NodeStats;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.Priority;
import org.aivillage.bitchat.ReceivedMessage;
import org.aivillage.bitchat.RelayPolicy;
import org.aivillage.bitchat.Transport;
import org.aivillage.bitchat.wire.AnnouncePayload;
import org.aivillage.bitchat.wire.FragmentPayload;
import org.aivillage.bitchat.wire.MessageType;
import org.aivillage.bitchat.wire.NoisePayload;
import org.aivillage.bitchat.wire.Packet;
import org.aivillage.bitchat.wire.PacketCodec;
import org.aivillage.bitchat.wire.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh engine of one node: receives frames from transports, drops duplicates, checks
 * timestamps and signatures, delivers what is for this node, relays the rest under the
 * {@link RelayPolicy}, runs Noise sessions for private messages, fragments and reassembles, and
 * keeps messages for offline peers. Every entry point holds the router's lock for a short,
 * non-blocking step (transports queue, never block); listener events are dispatched after the lock
 * is released, in order, one thread at a time.
 */
public final class MeshRouter implements Transport.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(MeshRouter.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final long FUTURE_SKEW_MILLIS = Duration.ofMinutes(10).toMillis();
    private static final int MAX_PEERS = 4096;
    private static final int MAX_PENDING_RELAYS = 16_384;
    private static final int MAX_UNVERIFIED = 256;
    private static final long UNVERIFIED_MILLIS = 60_000;
    private static final int MAX_PUSH_PER_NEIGHBOR = 64;
    private static final int FRAGMENT_OVERHEAD = PacketCodec.HEADER_V1 + 2 * MeshPeerId.LENGTH + FragmentPayload.HEADER;
    private static final long MAINTENANCE_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = Duration.ofMinutes(2).toMillis();
    private static final Duration ECHO_TIMEOUT = Duration.ofMillis(500);
    private static final int ECHO_RETRIES = 2;
    private static final int MAX_ECHO_WAITS = 4096;

    /** Receiver of node events (called outside the lock, in order). */
    public interface Events {
        void message(ReceivedMessage message);

        void peerDiscovered(DiscoveredPeer peer);

        void peerLost(MeshPeerId peer, String nickname);

        void deliveryStatus(String messageId, MeshPeerId recipient, DeliveryStatus status);
    }

    private static final class PeerRecord {
        final MeshPeerId id;
        String nickname;
        byte[] noiseKey;
        byte[] signingKey;
        String fingerprint;
        long lastSeen;
        long lastAnnounceTimestamp;
        int hops;
        boolean online;

        PeerRecord(MeshPeerId id) {
            this.id = id;
        }
    }

    private static final class OutboxItem {
        final String messageId;
        final MeshPeerId recipient;
        final byte[] plaintext;
        boolean sent;
        int attempts;
        long nextRetryAt;

        OutboxItem(String messageId, MeshPeerId recipient, byte[] plaintext) {
            this.messageId = messageId;
            this.recipient = recipient;
            this.plaintext = plaintext;
        }
    }

    private static final class PendingRelay {
        final int suppressAfter;
        final byte[] frame;
        int duplicates;
        MeshScheduler.Cancellable task;

        PendingRelay(int suppressAfter, byte[] frame) {
            this.suppressAfter = suppressAfter;
            this.frame = frame;
        }
    }

    /** An own packet waiting to be heard relayed by a neighbour (implicit acknowledgement). */
    private static final class EchoWait {
        final byte[] frame;
        int retries;
        MeshScheduler.Cancellable task;

        EchoWait(byte[] frame) {
            this.frame = frame;
        }
    }

    private record Unverified(Packet packet, long receivedAt) {
    }

    private record Status(MeshPeerId recipient, DeliveryStatus status) {
    }

    private static final class Backoff {
        long nextAt;
        int attempts;
    }

    private final BitChatIdentity identity;
    private final MeshPeerId me;
    private final PeerConfig config;
    private final MeshScheduler scheduler;
    private final RelayPolicy policy;
    private final RandomGenerator random;
    private final Events events;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final DuplicateFilter seen;
    private final DuplicateFilter deliveredPrivate;
    private final LinkedHashMap<MeshPeerId, PeerRecord> peers = new LinkedHashMap<>();
    private final NoiseSessions sessions;
    private final FragmentAssembler assembler;
    private final MessageStore<OutboxItem> outbox;
    private final MessageStore<byte[]> relayStore;
    private final MessageStore<byte[]> publicCache;
    private final Map<Long, PendingRelay> pendingRelays = new HashMap<>();
    private final LinkedHashMap<Long, EchoWait> echoWaits = new LinkedHashMap<>();
    /** Per recent packet: the highest TTL this node relayed it with (or could have: ttl - 1). */
    private final LinkedHashMap<Long, Integer> bestTtl = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > 16_384;
        }
    };
    private final Map<MeshPeerId, Backoff> handshakeBackoff = new HashMap<>();
    private final LinkedHashMap<String, Status> statuses = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Status> eldest) {
            return size() > 4096;
        }
    };
    private final Deque<Unverified> unverified = new ArrayDeque<>();
    /**
     * Encrypted packets that arrived while their session was still being set up (the mesh can
     * deliver the first message before the last handshake message); replayed when it is.
     */
    private final LinkedHashMap<MeshPeerId, Deque<Packet>> earlyEncrypted = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MeshPeerId, Deque<Packet>> eldest) {
            return size() > 64;
        }
    };
    private final Queue<Runnable> eventQueue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dispatching = new AtomicBoolean();
    private final long maxAgeMillis;

    private long framesReceived;
    private long framesSent;
    private long packetsRelayed;
    private long relaysDeclined;
    private long relaysSuppressed;
    private long retransmissions;
    private long duplicates;
    private long malformed;
    private long badSignatures;
    private long replays;
    private long decryptFailures;
    private long messagesDelivered;

    private boolean announcing;
    private boolean announceReplyScheduled;
    private long lastAnnounceAt = Long.MIN_VALUE / 2;
    private MeshScheduler.Cancellable announceTask;
    private MeshScheduler.Cancellable maintenanceTask;
    private boolean started;
    private boolean closed;

    public MeshRouter(BitChatIdentity identity, PeerConfig config, MeshScheduler scheduler, RelayPolicy policy,
            RandomGenerator random, Events events) {
        this.identity = identity;
        this.me = identity.peerId();
        this.config = config;
        this.scheduler = scheduler;
        this.policy = policy;
        this.random = random;
        this.events = events;
        this.maxAgeMillis = config.storedMessageLifetime().toMillis() + FUTURE_SKEW_MILLIS;
        this.seen = new DuplicateFilter(65_536, maxAgeMillis);
        this.deliveredPrivate = new DuplicateFilter(16_384, maxAgeMillis);
        this.sessions = new NoiseSessions(identity.noiseKeyPair(), me, 1024);
        this.assembler = new FragmentAssembler(128, 8L << 20, 30_000, PacketCodec.MAX_PAYLOAD + 4096);
        this.outbox = new MessageStore<>(config.maxStoredMessages());
        this.relayStore = new MessageStore<>(config.maxStoredMessages());
        this.publicCache = new MessageStore<>(config.maxStoredMessages());
    }

    // ------------------------------------------------------------------ lifecycle and API

    public MeshPeerId peerId() {
        return me;
    }

    /** Adds a transport before {@link #start()}; the caller starts it with this router as listener. */
    public void addTransport(Transport t) {
        transports.add(t);
    }

    public List<Transport> transports() {
        return List.copyOf(transports);
    }

    public void start() {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
            scheduleMaintenance();
        }
    }

    /** Starts announcing now and every announce interval (BitChat's discovery). */
    public void startAnnouncing() {
        synchronized (this) {
            if (closed || announcing) {
                return;
            }
            announcing = true;
            announceNow();
            scheduleAnnounce();
        }
        drainEvents();
    }

    public void stopAnnouncing() {
        synchronized (this) {
            announcing = false;
            if (announceTask != null) {
                announceTask.cancel();
                announceTask = null;
            }
        }
    }

    public synchronized boolean isAnnouncing() {
        return announcing;
    }

    /** Sends a message; returns its ID (a UUID for private messages, the packet ID for broadcasts). */
    public String send(MessageConfig m) {
        String id;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the node is shut down");
            }
            long now = now();
            if (m.content().length > PacketCodec.MAX_PAYLOAD) {
                throw new IllegalArgumentException("message of " + m.content().length + " bytes exceeds "
                        + PacketCodec.MAX_PAYLOAD);
            }
            if (m.isBroadcast()) {
                MessageType type = m.contentType() == ContentType.TEXT ? MessageType.MESSAGE : MessageType.APP_DATA;
                if (m.contentType() == ContentType.TEXT) {
                    try {
                        Utf8.decode(m.content(), "content");
                    } catch (CodecException e) {
                        throw new IllegalArgumentException("text content is not valid UTF-8");
                    }
                }
                Packet p = originate(packet(type, null, m.content(), now));
                id = HEX.formatHex(longBytes(packetId(p)));
                statuses.put(id, new Status(MeshPeerId.BROADCAST, DeliveryStatus.SENT));
                if (config.storeAndForward()) {
                    publicCache.add(id, null, m.priority(), now, now + lifetime(m), PacketCodec.encode(p, true));
                }
            } else {
                if (m.recipient().equals(me)) {
                    throw new IllegalArgumentException("cannot send a private message to oneself");
                }
                id = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
                NoisePayload payload = m.contentType() == ContentType.TEXT
                        ? new NoisePayload.PrivateMessage(id, text(m.content()))
                        : new NoisePayload.AppData(id, m.content());
                byte[] plaintext = payload.encode();
                if (plaintext.length > 0xffff - 64) {
                    throw new IllegalArgumentException("private message of " + plaintext.length
                            + " bytes exceeds the Noise message limit");
                }
                OutboxItem item = new OutboxItem(id, m.recipient(), plaintext);
                long expiry = config.storeAndForward() ? now + lifetime(m)
                        : now + 3 * config.handshakeTimeout().toMillis();
                setStatus(id, m.recipient(), DeliveryStatus.PENDING);
                for (MessageStore.Entry<OutboxItem> evicted : outbox.add(id, m.recipient(), m.priority(), now, expiry, item)) {
                    setStatus(evicted.key(), evicted.recipient(), DeliveryStatus.DROPPED);
                }
                if (outbox.contains(id)) {
                    trySend(outbox.get(id).value(), now);
                }
            }
        }
        drainEvents();
        return id;
    }

    /** Sends a read receipt for a private message received from {@code sender}. */
    public void markRead(MeshPeerId sender, String messageId) {
        synchronized (this) {
            sendNoise(sender, new NoisePayload.ReadReceipt(messageId));
        }
    }

    public synchronized DeliveryStatus status(String messageId) {
        Status s = statuses.get(messageId);
        return s == null ? DeliveryStatus.UNKNOWN : s.status;
    }

    public synchronized List<DiscoveredPeer> peers() {
        List<DiscoveredPeer> out = new ArrayList<>(peers.size());
        for (PeerRecord r : peers.values()) {
            out.add(snapshot(r));
        }
        return out;
    }

    public synchronized NodeStats stats() {
        return new NodeStats(framesReceived, framesSent, packetsRelayed, retransmissions, relaysDeclined, relaysSuppressed,
                duplicates,
                malformed, badSignatures, replays, decryptFailures, messagesDelivered,
                outbox.size() + relayStore.size());
    }

    /** Number of direct neighbours over all transports. */
    public int degree() {
        int d = 0;
        for (Transport t : transports) {
            d += t.neighbors().size();
        }
        return d;
    }

    /** Stops timers; with {@code sendLeave}, announces departure first. Pending messages become DROPPED. */
    public void close(boolean sendLeave) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (sendLeave && started) {
                originate(packet(MessageType.LEAVE, null, Utf8.encode(config.nicknameOr(me)), now()));
            }
            closed = true;
            announcing = false;
            if (announceTask != null) {
                announceTask.cancel();
            }
            if (maintenanceTask != null) {
                maintenanceTask.cancel();
            }
            for (PendingRelay pr : pendingRelays.values()) {
                pr.task.cancel();
            }
            pendingRelays.clear();
            for (EchoWait w : echoWaits.values()) {
                w.task.cancel();
            }
            echoWaits.clear();
            for (MessageStore.Entry<OutboxItem> e : outbox.values()) {
                setStatus(e.key(), e.recipient(), DeliveryStatus.DROPPED);
            }
            outbox.clear();
            relayStore.clear();
            publicCache.clear();
            sessions.closeAll();
        }
        drainEvents();
    }

    // ------------------------------------------------------------------ transport callbacks

    @Override
    public void onFrame(Transport transport, Neighbor from, byte[] frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            framesReceived++;
            Packet p;
            try {
                p = PacketCodec.decode(frame);
            } catch (CodecException e) {
                malformed++;
                LOG.atDebug().setMessage("malformed frame").addKeyValue("from", from).addKeyValue("error", e.getMessage()).log();
                return;
            }
            handle(p, frame, transport, from, true);
        }
        drainEvents();
    }

    @Override
    public void onNeighborUp(Transport transport, Neighbor neighbor) {
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = now();
            if (announcing) {
                transport.send(neighbor, PacketCodec.encode(signAndStamp(announcePacket(now)), true));
                framesSent++;
            }
            if (config.storeAndForward()) {
                publicCache.expire(now);
                for (MessageStore.Entry<byte[]> e : publicCache.newest(MAX_PUSH_PER_NEIGHBOR)) {
                    transport.send(neighbor, withTtl(e.value(), config.maxTtl()));
                    framesSent++;
                }
            }
        }
        drainEvents();
    }

    // ------------------------------------------------------------------ receive path

    private void handle(Packet p, byte[] raw, Transport transport, Neighbor from, boolean relayAllowed) {
        long id = packetId(p);
        if (p.sender().equals(me)) {
            EchoWait echo = echoWaits.remove(id); // a neighbour relayed our packet: it got out
            if (echo != null) {
                echo.task.cancel();
            }
            return;
        }
        long now = now();
        if (seen.contains(id, now)) {
            duplicates++;
            onDuplicate(p, id, raw, relayAllowed);
            return;
        }
        if (p.timestamp() > now + FUTURE_SKEW_MILLIS || p.timestamp() < now - maxAgeMillis) {
            replays++;
            return;
        }
        MessageType type = p.messageType();
        AnnouncePayload announce = null;
        if (type == MessageType.ANNOUNCE) {
            try {
                announce = AnnouncePayload.decode(p.payload());
            } catch (CodecException e) {
                malformed++;
                return;
            }
        }
        Verdict verdict = verify(p, announce);
        if (verdict == Verdict.INVALID) {
            badSignatures++;
            LOG.atDebug().setMessage("bad signature").addKeyValue("sender", p.sender())
                    .addKeyValue("type", MessageType.name(p.type())).log();
            return;
        }
        if (verdict == Verdict.UNSIGNED && requiresSignature(type)) {
            badSignatures++;
            return;
        }
        seen.markIfNew(id, now);
        boolean forMe = p.isAddressedTo(me);
        boolean accepted = true;
        if (forMe || p.isBroadcast()) {
            accepted = deliverLocally(p, announce, verdict, transport, from, now);
        }
        if (!forMe && accepted) {
            if (relayAllowed) {
                storeForOffline(p, raw, id, now);
                maybeRelay(p, id, raw);
            }
        }
    }

    /**
     * A copy of a packet already seen. It counts toward suppressing our pending relay; and when it
     * has more hops left than the copy we relayed (it came by a shorter path), the relay goes out
     * (again) with the higher TTL, so the first copy to arrive, which may have come the long way
     * round, does not cap the flood's reach.
     */
    private void onDuplicate(Packet p, long id, byte[] raw, boolean relayAllowed) {
        PendingRelay pr = pendingRelays.get(id);
        Integer best = bestTtl.get(id);
        int next = nextTtl(p);
        boolean better = best != null && next > best;
        if (pr != null) {
            if (better) {
                bestTtl.put(id, next);
                pr.frame[2] = (byte) next;
            } else if (pr.suppressAfter > 0 && ++pr.duplicates >= pr.suppressAfter) {
                pr.task.cancel();
                pendingRelays.remove(id);
                relaysSuppressed++;
            }
        } else if (better && relayAllowed && !p.isAddressedTo(me)) {
            maybeRelay(p, id, raw);
        }
    }

    private enum Verdict { VALID, INVALID, UNKNOWN_KEY, UNSIGNED }

    private Verdict verify(Packet p, AnnouncePayload announce) {
        byte[] key;
        if (announce != null) {
            if (!MeshPeerId.fromNoiseKey(announce.noisePublicKey()).equals(p.sender())) {
                return Verdict.INVALID; // the peer ID must be bound to the announced Noise key
            }
            PeerRecord known = peers.get(p.sender());
            if (known != null && !ConstantTime.equals(known.signingKey, announce.signingPublicKey())) {
                return Verdict.INVALID; // signing key pinned at first announce
            }
            if (p.signature() == null) {
                return Verdict.UNSIGNED;
            }
            key = announce.signingPublicKey();
        } else {
            if (p.signature() == null) {
                return Verdict.UNSIGNED;
            }
            PeerRecord known = peers.get(p.sender());
            if (known == null) {
                return Verdict.UNKNOWN_KEY;
            }
            key = known.signingKey;
        }
        return Ed25519.verify(key, PacketCodec.signingBytes(p), p.signature()) ? Verdict.VALID : Verdict.INVALID;
    }

    private static boolean requiresSignature(MessageType type) {
        return type == MessageType.ANNOUNCE || type == MessageType.MESSAGE || type == MessageType.LEAVE
                || type == MessageType.APP_DATA;
    }

    /** Handles a packet addressed to this node or broadcast; returns false when it must not be relayed. */
    private boolean deliverLocally(Packet p, AnnouncePayload announce, Verdict verdict, Transport transport,
            Neighbor from, long now) {
        MessageType type = p.messageType();
        if (type == null) {
            return true; // unknown type: relay it, nothing to do here
        }
        switch (type) {
            case ANNOUNCE -> {
                return onAnnounce(p, announce, now);
            }
            case MESSAGE, APP_DATA, LEAVE -> {
                if (!p.isBroadcast()) {
                    return true;
                }
                if (verdict == Verdict.UNKNOWN_KEY) {
                    holdUnverified(p, now);
                } else {
                    onSigned(p, now);
                }
                return true;
            }
            case NOISE_HANDSHAKE -> {
                if (p.isAddressedTo(me)) {
                    onHandshake(p, now);
                }
                return true;
            }
            case NOISE_ENCRYPTED -> {
                if (p.isAddressedTo(me)) {
                    onEncrypted(p, now);
                }
                return true;
            }
            case FRAGMENT -> {
                onFragment(p, transport, from, now);
                return true;
            }
            default -> {
                return true; // REQUEST_SYNC, FILE_TRANSFER: relayed, not handled
            }
        }
    }

    private boolean onAnnounce(Packet p, AnnouncePayload a, long now) {
        PeerRecord r = peers.get(p.sender());
        if (r != null && Long.compareUnsigned(p.timestamp(), r.lastAnnounceTimestamp) <= 0) {
            replays++;
            return false; // an older announce than one already seen: replayed, do not spread it
        }
        boolean wasOnline = r != null && r.online;
        if (r == null) {
            r = new PeerRecord(p.sender());
            peers.put(p.sender(), r);
            evictPeers();
        }
        r.nickname = a.nickname();
        r.noiseKey = a.noisePublicKey();
        r.signingKey = a.signingPublicKey();
        r.fingerprint = BitChatIdentity.fingerprintOf(a.noisePublicKey());
        r.lastAnnounceTimestamp = p.timestamp();
        r.hops = Math.max(1, config.maxTtl() - p.ttl() + 1);
        touch(r, now);
        if (!wasOnline) {
            DiscoveredPeer snap = snapshot(r);
            emit(() -> events.peerDiscovered(snap));
            replyAnnounceSoon(now);
        }
        releaseUnverified(p.sender(), now);
        flushFor(p.sender(), now);
        return true;
    }

    private void onSigned(Packet p, long now) {
        PeerRecord r = peers.get(p.sender());
        MessageType type = p.messageType();
        if (r != null) {
            touch(r, now);
        }
        if (type == MessageType.LEAVE) {
            if (r != null && r.online) {
                r.online = false;
                String nick = r.nickname;
                emit(() -> events.peerLost(p.sender(), nick));
            }
            return;
        }
        ContentType ct = type == MessageType.MESSAGE ? ContentType.TEXT : ContentType.DATA;
        String id = HEX.formatHex(longBytes(packetId(p)));
        if (ct == ContentType.TEXT) {
            try {
                Utf8.decode(p.payload(), "message");
            } catch (CodecException e) {
                malformed++;
                return;
            }
        }
        deliver(new ReceivedMessage(id, p.sender(), r == null ? p.sender().toHex() : r.nickname, p.payload(), ct, false,
                Instant.ofEpochMilli(p.timestamp()), Instant.ofEpochMilli(now)));
        if (config.storeAndForward() && p.ttl() > 0) {
            publicCache.add(id, null, Priority.NORMAL, now, now + config.storedMessageLifetime().toMillis(),
                    PacketCodec.encode(p, true));
        }
    }

    private void holdUnverified(Packet p, long now) {
        if (unverified.size() >= MAX_UNVERIFIED) {
            unverified.pollFirst();
        }
        unverified.addLast(new Unverified(p, now));
    }

    private void releaseUnverified(MeshPeerId sender, long now) {
        Iterator<Unverified> it = unverified.iterator();
        List<Packet> ready = new ArrayList<>();
        while (it.hasNext()) {
            Unverified u = it.next();
            if (u.packet.sender().equals(sender)) {
                it.remove();
                ready.add(u.packet);
            }
        }
        for (Packet p : ready) {
            Verdict v = verify(p, null);
            if (v == Verdict.VALID) {
                onSigned(p, now);
            } else {
                badSignatures++;
            }
        }
    }

    private void onHandshake(Packet p, long now) {
        PeerRecord r = peers.get(p.sender());
        NoiseSessions.HandshakeOutcome o = sessions.onHandshake(p.sender(), p.payload(), r == null ? null : r.noiseKey,
                now, config.handshakeTimeout().toMillis());
        if (o.failure() != null) {
            decryptFailures++;
            LOG.atDebug().setMessage("noise handshake failed").addKeyValue("peer", p.sender())
                    .addKeyValue("reason", o.failure()).log();
        }
        if (o.reply() != null) {
            originate(packet(MessageType.NOISE_HANDSHAKE, p.sender(), o.reply(), now));
        }
        if (o.established()) {
            if (r != null) {
                touch(r, now);
            }
            handshakeBackoff.remove(p.sender());
            Deque<Packet> early = earlyEncrypted.remove(p.sender());
            if (early != null) {
                for (Packet q : early) {
                    onEncrypted(q, now);
                }
            }
            for (MessageStore.Entry<OutboxItem> e : outbox.forRecipient(p.sender())) {
                sendEncrypted(e.value(), now);
            }
        }
    }

    private void onEncrypted(Packet p, long now) {
        NoiseSessions.Decrypted d = sessions.decrypt(p.sender(), p.payload());
        switch (d.status()) {
            case OK -> {
            }
            case REPLAY -> {
                replays++;
                return;
            }
            default -> {
                if (sessions.handshakeInFlight(p.sender(), now, config.handshakeTimeout().toMillis())) {
                    Deque<Packet> q = earlyEncrypted.computeIfAbsent(p.sender(), k -> new ArrayDeque<>());
                    if (q.size() < 16) {
                        q.addLast(p); // decrypt once the handshake completes
                        return;
                    }
                }
                decryptFailures++;
                if (!sessions.handshakeInFlight(p.sender(), now, config.handshakeTimeout().toMillis())
                        && sessions.mayRecover(p.sender(), now, config.handshakeTimeout().toMillis())) {
                    initiateHandshake(p.sender(), now); // the peer has a session we lost: start over
                }
                return;
            }
        }
        PeerRecord r = peers.get(p.sender());
        if (r != null) {
            touch(r, now);
        }
        NoisePayload payload;
        try {
            payload = NoisePayload.decode(d.plaintext());
        } catch (CodecException e) {
            malformed++;
            return;
        }
        switch (payload) {
            case NoisePayload.PrivateMessage pm -> receivePrivate(p, r, pm.messageId(), Utf8.encode(pm.content()),
                    ContentType.TEXT, now);
            case NoisePayload.AppData ad -> receivePrivate(p, r, ad.messageId(), ad.data(), ContentType.DATA, now);
            case NoisePayload.Delivered dl -> {
                MessageStore.Entry<OutboxItem> e = outbox.get(dl.messageId());
                if (e != null && e.recipient().equals(p.sender())) {
                    outbox.remove(dl.messageId());
                    setStatus(dl.messageId(), p.sender(), DeliveryStatus.DELIVERED);
                }
            }
            case NoisePayload.ReadReceipt rr -> {
                Status s = statuses.get(rr.messageId());
                if (s != null && s.recipient.equals(p.sender())) {
                    outbox.remove(rr.messageId());
                    setStatus(rr.messageId(), p.sender(), DeliveryStatus.READ);
                }
            }
        }
    }

    private void receivePrivate(Packet p, PeerRecord r, String messageId, byte[] content, ContentType ct, long now) {
        long key = longOf(Hashes.sha256(p.sender().bytes(), Utf8.encode(messageId)));
        if (deliveredPrivate.markIfNew(key, now)) {
            deliver(new ReceivedMessage(messageId, p.sender(), r == null ? p.sender().toHex() : r.nickname, content, ct,
                    true, Instant.ofEpochMilli(p.timestamp()), Instant.ofEpochMilli(now)));
        }
        sendNoise(p.sender(), new NoisePayload.Delivered(messageId)); // ack again if our ack was lost
    }

    private void onFragment(Packet p, Transport transport, Neighbor from, long now) {
        FragmentPayload f;
        try {
            f = FragmentPayload.decode(p.payload());
        } catch (CodecException e) {
            malformed++;
            return;
        }
        FragmentAssembler.Result result = assembler.add(p.sender(), f, now);
        if (result.outcome() != FragmentAssembler.Outcome.COMPLETE) {
            return;
        }
        Packet inner;
        try {
            inner = PacketCodec.decode(result.reassembled());
        } catch (CodecException e) {
            malformed++;
            return;
        }
        if (!inner.sender().equals(p.sender()) || inner.type() != result.originalType()
                || inner.type() == MessageType.FRAGMENT.code()) {
            malformed++;
            return;
        }
        handle(inner, null, transport, from, false); // the fragments were relayed, not the whole
    }

    private void deliver(ReceivedMessage m) {
        messagesDelivered++;
        emit(() -> events.message(m));
    }

    // ------------------------------------------------------------------ relay and store

    /**
     * The TTL a relayed copy leaves with: one less than it arrived with, and never more than a packet
     * this node originates would have after one hop (so a packet claiming TTL 255 does not flood the
     * whole mesh); -1 when it arrived with TTL 0.
     */
    private int nextTtl(Packet p) {
        return p.ttl() == 0 ? -1 : Math.min(p.ttl() - 1, config.maxTtl() - 1);
    }

    private void maybeRelay(Packet p, long id, byte[] raw) {
        int next = nextTtl(p);
        bestTtl.put(id, next);
        if (next < 0 || closed) {
            return;
        }
        RelayPolicy.Decision d = policy.decide(p.ttl(), degree(), !p.isBroadcast(), random);
        if (!d.relay() || pendingRelays.size() >= MAX_PENDING_RELAYS) {
            relaysDeclined++;
            return;
        }
        byte[] frame = raw != null ? withTtl(raw, next) : PacketCodec.encode(p.withTtl(next), true);
        PendingRelay pr = new PendingRelay(d.suppressAfterDuplicates(), frame);
        pendingRelays.put(id, pr);
        pr.task = scheduler.schedule(d.delay(), () -> fireRelay(id, pr));
    }

    private void fireRelay(long id, PendingRelay pr) {
        synchronized (this) {
            if (closed || pendingRelays.get(id) != pr) {
                return;
            }
            pendingRelays.remove(id);
            packetsRelayed++;
            transmit(pr.frame);
        }
        drainEvents();
    }

    private void storeForOffline(Packet p, byte[] raw, long id, long now) {
        if (!config.storeAndForward() || raw == null || p.type() != MessageType.NOISE_ENCRYPTED.code()
                || p.isBroadcast()) {
            return;
        }
        PeerRecord r = peers.get(p.recipient());
        if (r != null && r.online) {
            return;
        }
        relayStore.add(HEX.formatHex(longBytes(id)), p.recipient(), Priority.NORMAL, now,
                now + config.storedMessageLifetime().toMillis(), raw.clone());
    }

    private void flushFor(MeshPeerId peer, long now) {
        for (MessageStore.Entry<byte[]> e : relayStore.forRecipient(peer)) {
            relayStore.remove(e.key());
            transmit(withTtl(e.value(), config.maxTtl()));
        }
        List<MessageStore.Entry<OutboxItem>> waiting = outbox.forRecipient(peer);
        if (waiting.isEmpty()) {
            return;
        }
        if (sessions.isEstablished(peer)) {
            for (MessageStore.Entry<OutboxItem> e : waiting) {
                if (!e.value().sent || now >= e.value().nextRetryAt) {
                    sendEncrypted(e.value(), now);
                }
            }
        } else if (!sessions.handshakeInFlight(peer, now, config.handshakeTimeout().toMillis())) {
            initiateHandshake(peer, now);
        }
    }

    private void trySend(OutboxItem item, long now) {
        if (sessions.isEstablished(item.recipient)) {
            sendEncrypted(item, now);
        } else if (!sessions.handshakeInFlight(item.recipient, now, config.handshakeTimeout().toMillis())) {
            initiateHandshake(item.recipient, now);
        }
    }

    private void sendEncrypted(OutboxItem item, long now) {
        byte[] ct = sessions.encrypt(item.recipient, item.plaintext);
        if (ct == null) {
            initiateHandshake(item.recipient, now);
            return;
        }
        originate(packet(MessageType.NOISE_ENCRYPTED, item.recipient, ct, now));
        item.attempts++;
        item.nextRetryAt = now + Math.min(MAX_BACKOFF_MILLIS,
                config.retransmitInterval().toMillis() << Math.min(10, item.attempts - 1));
        if (!item.sent) {
            item.sent = true;
            setStatus(item.messageId, item.recipient, DeliveryStatus.SENT);
        }
    }

    private void sendNoise(MeshPeerId peer, NoisePayload payload) {
        byte[] ct = sessions.encrypt(peer, payload.encode());
        if (ct != null) {
            originate(packet(MessageType.NOISE_ENCRYPTED, peer, ct, now()));
        }
    }

    private void initiateHandshake(MeshPeerId peer, long now) {
        Backoff b = handshakeBackoff.computeIfAbsent(peer, k -> new Backoff());
        b.attempts++;
        b.nextAt = now + Math.min(MAX_BACKOFF_MILLIS, config.handshakeTimeout().toMillis() << Math.min(10, b.attempts - 1));
        originate(packet(MessageType.NOISE_HANDSHAKE, peer, sessions.initiate(peer, now), now));
    }

    // ------------------------------------------------------------------ sending

    private Packet packet(MessageType type, MeshPeerId recipient, byte[] payload, long now) {
        Packet p = Packet.of(type, config.maxTtl(), now, me, recipient, payload);
        return payload.length > 0xffff - 16 ? p.withVersion(2) : p;
    }

    private Packet signAndStamp(Packet p) {
        Packet c = p.compressed();
        return requiresSignature(c.messageType()) ? c.withSignature(identity.sign(PacketCodec.signingBytes(c))) : c;
    }

    /** Signs (when the type needs it), encodes, fragments when too large, and transmits; returns the sent packet. */
    private Packet originate(Packet p) {
        Packet signed = signAndStamp(p);
        long now = now();
        seen.markIfNew(packetId(signed), now);
        byte[] frame = PacketCodec.encode(signed, true);
        boolean track = signed.ttl() > 0 && signed.type() != MessageType.ANNOUNCE.code()
                && signed.type() != MessageType.LEAVE.code();
        if (frame.length <= config.maxFrameBytes()) {
            transmit(frame);
            if (track) {
                awaitEcho(packetId(signed), frame);
            }
            return signed;
        }
        byte[] whole = PacketCodec.encode(signed, false);
        int chunk = Math.max(64, config.maxFrameBytes() - FRAGMENT_OVERHEAD);
        int total = (whole.length + chunk - 1) / chunk;
        byte[] fragmentId = new byte[FragmentPayload.ID_LENGTH];
        random.nextBytes(fragmentId);
        for (int i = 0; i < total; i++) {
            int from = i * chunk;
            byte[] data = java.util.Arrays.copyOfRange(whole, from, Math.min(whole.length, from + chunk));
            FragmentPayload f = new FragmentPayload(fragmentId, i, total, signed.type(), data);
            Packet fp = Packet.of(MessageType.FRAGMENT, signed.ttl(), signed.timestamp(), me, signed.recipient(),
                    f.encode());
            seen.markIfNew(packetId(fp), now);
            byte[] fragmentFrame = PacketCodec.encode(fp, true);
            transmit(fragmentFrame);
            if (track) {
                awaitEcho(packetId(fp), fragmentFrame);
            }
        }
        return signed;
    }

    /**
     * Implicit acknowledgement (as in LoRa meshes such as Meshtastic): an own packet that no
     * neighbour is heard relaying within {@link #ECHO_TIMEOUT} is sent again, at most
     * {@link #ECHO_RETRIES} times. It protects the first hop, where a lost frame loses the packet
     * for everyone.
     */
    private void awaitEcho(long id, byte[] frame) {
        if (echoWaits.size() >= MAX_ECHO_WAITS) {
            Iterator<EchoWait> it = echoWaits.values().iterator();
            it.next().task.cancel();
            it.remove();
        }
        EchoWait w = new EchoWait(frame);
        echoWaits.put(id, w);
        w.task = scheduler.schedule(ECHO_TIMEOUT, () -> echoTimedOut(id, w));
    }

    private void echoTimedOut(long id, EchoWait w) {
        synchronized (this) {
            if (closed || echoWaits.get(id) != w) {
                return;
            }
            if (w.retries >= ECHO_RETRIES || degree() == 0) {
                echoWaits.remove(id);
                return;
            }
            w.retries++;
            retransmissions++;
            transmit(w.frame);
            w.task = scheduler.schedule(ECHO_TIMEOUT, () -> echoTimedOut(id, w));
        }
        drainEvents();
    }

    /**
     * Sends a frame on every transport to every neighbour, the one it came from included: on a
     * broadcast medium that costs nothing, and the previous hop hears that the packet got out
     * (see {@link EchoWait}).
     */
    private void transmit(byte[] frame) {
        for (Transport t : transports) {
            t.broadcast(frame, null);
            framesSent++;
        }
    }

    private Packet announcePacket(long now) {
        AnnouncePayload a = new AnnouncePayload(config.nicknameOr(me), identity.noisePublicKey(),
                identity.signingPublicKey(), 0);
        return packet(MessageType.ANNOUNCE, null, a.encode(), now);
    }

    private void announceNow() {
        long now = now();
        lastAnnounceAt = now;
        originate(announcePacket(now));
    }

    private void scheduleAnnounce() {
        long base = config.announceInterval().toMillis();
        long delay = base - base / 10 + (long) (random.nextDouble() * (base / 5.0));
        announceTask = scheduler.schedule(Duration.ofMillis(delay), () -> {
            synchronized (this) {
                if (!announcing || closed) {
                    return;
                }
                announceNow();
                scheduleAnnounce();
            }
            drainEvents();
        });
    }

    private void replyAnnounceSoon(long now) {
        if (!announcing || announceReplyScheduled || now - lastAnnounceAt < 2000) {
            return;
        }
        announceReplyScheduled = true;
        scheduler.schedule(Duration.ofMillis(50 + (long) (random.nextDouble() * 450)), () -> {
            synchronized (this) {
                announceReplyScheduled = false;
                if (announcing && !closed && now() - lastAnnounceAt >= 2000) {
                    announceNow();
                }
            }
            drainEvents();
        });
    }

    // ------------------------------------------------------------------ maintenance

    private void scheduleMaintenance() {
        maintenanceTask = scheduler.schedule(Duration.ofMillis(MAINTENANCE_MILLIS), () -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                maintain(now());
                scheduleMaintenance();
            }
            drainEvents();
        });
    }

    private void maintain(long now) {
        long timeout = config.peerTimeout().toMillis();
        for (PeerRecord r : peers.values()) {
            if (r.online && now - r.lastSeen > timeout) {
                r.online = false;
                String nick = r.nickname;
                MeshPeerId id = r.id;
                emit(() -> events.peerLost(id, nick));
            }
        }
        for (MessageStore.Entry<OutboxItem> e : outbox.expire(now)) {
            setStatus(e.key(), e.recipient(), DeliveryStatus.EXPIRED);
        }
        relayStore.expire(now);
        publicCache.expire(now);
        assembler.expire(now);
        while (!unverified.isEmpty() && now - unverified.peekFirst().receivedAt > UNVERIFIED_MILLIS) {
            unverified.pollFirst();
        }
        long hsTimeout = config.handshakeTimeout().toMillis();
        for (MessageStore.Entry<OutboxItem> e : outbox.values()) {
            OutboxItem item = e.value();
            PeerRecord r = peers.get(item.recipient);
            boolean reachable = r == null || r.online;
            if (!reachable) {
                continue; // waits for the peer's next announce (flushFor)
            }
            if (sessions.isEstablished(item.recipient)) {
                if (!item.sent || now >= item.nextRetryAt) {
                    sendEncrypted(item, now);
                }
            } else if (!sessions.handshakeInFlight(item.recipient, now, hsTimeout)) {
                Backoff b = handshakeBackoff.get(item.recipient);
                if (b == null || now >= b.nextAt) {
                    initiateHandshake(item.recipient, now);
                }
            }
        }
        handshakeBackoff.keySet().removeIf(peer -> outbox.forRecipient(peer).isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    private void touch(PeerRecord r, long now) {
        r.lastSeen = now;
        r.online = true;
    }

    private void evictPeers() {
        if (peers.size() <= MAX_PEERS) {
            return;
        }
        PeerRecord oldest = null;
        for (PeerRecord r : peers.values()) {
            if (oldest == null || r.lastSeen < oldest.lastSeen) {
                oldest = r;
            }
        }
        peers.remove(oldest.id);
        sessions.remove(oldest.id);
    }

    private DiscoveredPeer snapshot(PeerRecord r) {
        return new DiscoveredPeer(r.id, r.nickname, r.fingerprint, r.noiseKey, r.signingKey,
                Instant.ofEpochMilli(r.lastSeen), r.hops, r.online, sessions.isEstablished(r.id));
    }

    private void setStatus(String id, MeshPeerId recipient, DeliveryStatus status) {
        Status old = statuses.get(id);
        if (old != null && old.status == status) {
            return;
        }
        statuses.put(id, new Status(recipient, status));
        emit(() -> events.deliveryStatus(id, recipient, status));
    }

    private long lifetime(MessageConfig m) {
        long configured = config.storedMessageLifetime().toMillis();
        return m.ttlHours() == 0 ? configured : Math.min(configured, Duration.ofHours(m.ttlHours()).toMillis());
    }

    private long now() {
        return scheduler.currentTimeMillis();
    }

    private void emit(Runnable event) {
        eventQueue.add(event);
    }

    /** Runs queued listener events; only one thread at a time, never under the router lock. */
    public void drainEvents() {
        while (!eventQueue.isEmpty()) {
            if (!dispatching.compareAndSet(false, true)) {
                return; // another thread is dispatching and will see our events
            }
            try {
                Runnable r;
                while ((r = eventQueue.poll()) != null) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.warn("listener failed", e);
                    }
                }
            } finally {
                dispatching.set(false);
            }
        }
    }

    /** A 64-bit ID of a packet: SHA-256 over type, sender, recipient, timestamp and payload as sent. */
    public static long packetId(Packet p) {
        byte[] head = new byte[1 + 8 + 8 + 8];
        head[0] = (byte) p.type();
        p.sender().writeTo(head, 1);
        if (p.recipient() != null) {
            p.recipient().writeTo(head, 9);
        }
        long ts = p.timestamp();
        for (int i = 24; i >= 17; i--) {
            head[i] = (byte) ts;
            ts >>>= 8;
        }
        byte[] body = p.compressedPayload() != null ? p.compressedPayload() : p.payload();
        return longOf(Hashes.sha256(head, body));
    }

    private static long longOf(byte[] h) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static byte[] withTtl(byte[] frame, int ttl) {
        byte[] copy = frame.clone();
        copy[2] = (byte) ttl;
        return copy;
    }

    private static String text(byte[] utf8) {
        try {
            return Utf8.decode(utf8, "content");
        } catch (CodecException e) {
            throw new IllegalArgumentException("text content is not valid UTF-8");
        }
    }
}
