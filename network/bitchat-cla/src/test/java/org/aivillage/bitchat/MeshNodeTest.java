package org.aivillage.bitchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.bitchat.sim.InMemoryNetwork;
import org.aivillage.bitchat.sim.VirtualScheduler;
import org.aivillage.bitchat.wire.AnnouncePayload;
import org.aivillage.bitchat.wire.MessageType;
import org.aivillage.bitchat.wire.Packet;
import org.aivillage.bitchat.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes over in-memory links in simulated time: the behaviour of one mesh node, end to end. */
class MeshNodeTest {
    private final VirtualScheduler clock = new VirtualScheduler(1_767_225_600_000L);
    private final InMemoryNetwork net = new InMemoryNetwork(clock, new SplittableRandom(7));
    private final List<BitChatCla> nodes = new ArrayList<>();
    private final Map<String, List<ReceivedMessage>> inbox = new ConcurrentHashMap<>();
    private final Map<String, DeliveryStatus> status = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        nodes.forEach(BitChatCla::close);
        clock.close();
    }

    private BitChatCla node(String name, PeerConfig.Builder config) throws IOException {
        PeerConfig c = config.nickname(name).listenPort(-1).multicastGroup(null)
                .announceInterval(Duration.ofSeconds(5)).handshakeTimeout(Duration.ofSeconds(3))
                .retransmitInterval(Duration.ofSeconds(3)).build();
        BitChatCla n = BitChatCla.builder(c).defaultTransports(false).transport(net.endpoint(name)).scheduler(clock)
                .random(new SplittableRandom(name.hashCode())).listener(new BitChatListener() {
                    @Override
                    public void onMessage(ReceivedMessage m) {
                        inbox.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
                    }

                    @Override
                    public void onDeliveryStatus(String id, MeshPeerId recipient, DeliveryStatus s) {
                        status.put(id, s);
                    }
                }).build();
        nodes.add(n);
        return n;
    }

    private BitChatCla node(String name) throws IOException {
        return node(name, PeerConfig.builder());
    }

    /** a - b - c in a line, discovering each other. */
    private BitChatCla[] line() throws IOException {
        BitChatCla a = node("a");
        BitChatCla b = node("b");
        BitChatCla c = node("c");
        net.connect("a", "b", InMemoryNetwork.LinkProfile.PERFECT);
        net.connect("b", "c", InMemoryNetwork.LinkProfile.PERFECT);
        a.startDiscovery();
        b.startDiscovery();
        c.startDiscovery();
        clock.runFor(Duration.ofSeconds(2));
        return new BitChatCla[] {a, b, c};
    }

    private List<ReceivedMessage> got(String name) {
        return inbox.getOrDefault(name, List.of());
    }

    @Test
    void discoversPeersAcrossHopsWithFingerprints() throws IOException {
        BitChatCla[] n = line();
        assertThat(n[0].getDiscoveredPeers()).extracting(DiscoveredPeer::nickname).containsExactlyInAnyOrder("b", "c");
        DiscoveredPeer c = n[0].findPeer("c").orElseThrow();
        assertThat(c.peerId()).isEqualTo(n[2].peerId());
        assertThat(c.fingerprint()).isEqualTo(n[2].fingerprint());
        assertThat(c.hops()).isEqualTo(2);
        assertThat(n[0].findPeer("b").orElseThrow().hops()).isEqualTo(1);
        assertThat(c.online()).isTrue();
    }

    @Test
    void publicMessageIsRelayedAndPrivateMessageIsEncryptedAndAcknowledged() throws IOException {
        BitChatCla[] n = line();
        List<byte[]> seenByB = tap("b");
        n[0].sendMessage(MessageConfig.publicText("hello mesh"));
        String id = n[0].sendMessage(MessageConfig.text(n[2].peerId(), "for c only: secret"));
        assertThat(clock.runUntil(() -> status.get(id) == DeliveryStatus.DELIVERED, Duration.ofSeconds(10))).isTrue();
        assertThat(got("c")).extracting(ReceivedMessage::text).contains("hello mesh", "for c only: secret");
        assertThat(got("b")).extracting(ReceivedMessage::text).containsExactly("hello mesh");
        ReceivedMessage priv = got("c").stream().filter(ReceivedMessage::privateMessage).findFirst().orElseThrow();
        assertThat(priv.messageId()).isEqualTo(id);
        assertThat(priv.senderNickname()).isEqualTo("a");
        assertThat(n[0].deliveryStatus(id)).isEqualTo(DeliveryStatus.DELIVERED);
        // the relay carried the private message but never saw its text
        assertThat(seenByB).isNotEmpty();
        for (byte[] frame : seenByB) {
            assertThat(new String(frame, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        }
        n[2].markRead(priv);
        clock.runFor(Duration.ofSeconds(1));
        assertThat(n[0].deliveryStatus(id)).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void largeMessagesAreFragmentedAndReassembled() throws IOException {
        BitChatCla[] n = line();
        byte[] blob = new byte[20_000];
        new SplittableRandom(1).nextBytes(blob);
        String id = n[0].sendMessage(MessageConfig.data(n[2].peerId(), blob));
        n[2].sendMessage(MessageConfig.publicText("long ".repeat(400)));
        assertThat(clock.runUntil(() -> status.get(id) == DeliveryStatus.DELIVERED, Duration.ofSeconds(10))).isTrue();
        ReceivedMessage m = got("c").stream().filter(x -> x.messageId().equals(id)).findFirst().orElseThrow();
        assertThat(m.content()).isEqualTo(blob);
        assertThat(m.contentType()).isEqualTo(ContentType.DATA);
        assertThat(got("a")).extracting(ReceivedMessage::text).contains("long ".repeat(400));
        byte[] big = new byte[100_000]; // public data above 64 KiB: a version-2 packet in ~220 fragments
        new SplittableRandom(2).nextBytes(big);
        n[1].sendMessage(MessageConfig.data(null, big));
        clock.runFor(Duration.ofSeconds(5));
        assertThat(got("a")).filteredOn(x -> x.contentType() == ContentType.DATA).singleElement()
                .satisfies(x -> assertThat(x.content()).isEqualTo(big));
        assertThat(got("c")).filteredOn(x -> x.contentType() == ContentType.DATA && !x.privateMessage()).hasSize(1);
        assertThatThrownBy(() -> n[0].sendMessage(MessageConfig.data(null, new byte[PacketCodec.MAX_PAYLOAD + 1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(net.transmissions(MessageType.FRAGMENT.code())).isGreaterThan(40);
    }

    @Test
    void forgedAndReplayedPacketsAreDropped() throws IOException, CodecException {
        BitChatCla[] n = line();
        List<byte[]> frames = tap("c");
        n[0].sendMessage(MessageConfig.publicText("original"));
        clock.runFor(Duration.ofSeconds(1));
        byte[] original = frames.stream().filter(f -> PacketCodec.peekType(f) == MessageType.MESSAGE.code())
                .findFirst().orElseThrow();
        long before = got("c").size();
        // 1. replay of the very same frame: a duplicate
        inject("c", original);
        // 2. same packet, text changed, signature kept: bad signature
        Packet p = PacketCodec.decode(original);
        Packet forged = new Packet(p.version(), p.type(), p.ttl(), p.timestamp() + 1, p.sender(), p.recipient(), p.route(),
                "forged".getBytes(StandardCharsets.UTF_8), p.signature(), false, null);
        inject("c", PacketCodec.encode(forged));
        // 3. a message signed by another key under a's peer id: bad signature
        BitChatIdentity mallory = BitChatIdentity.generate();
        Packet impostor = Packet.of(MessageType.MESSAGE, 7, clock.currentTimeMillis(), n[0].peerId(), null,
                "impostor".getBytes(StandardCharsets.UTF_8));
        inject("c", PacketCodec.encode(impostor.withSignature(mallory.sign(PacketCodec.signingBytes(impostor)))));
        // 4. an announce claiming a's peer id with mallory's keys: the id is not bound to that key
        AnnouncePayload fake = new AnnouncePayload("a", mallory.noisePublicKey(), mallory.signingPublicKey(), 0);
        Packet fakeAnnounce = Packet.of(MessageType.ANNOUNCE, 7, clock.currentTimeMillis(), n[0].peerId(), null, fake.encode());
        inject("c", PacketCodec.encode(fakeAnnounce.withSignature(mallory.sign(PacketCodec.signingBytes(fakeAnnounce)))));
        // 5. an unsigned public message
        inject("c", PacketCodec.encode(Packet.of(MessageType.MESSAGE, 7, clock.currentTimeMillis(), n[0].peerId(), null,
                "unsigned".getBytes(StandardCharsets.UTF_8))));
        // 6. a correctly signed message with a timestamp from too long ago
        BitChatIdentity old = BitChatIdentity.generate();
        clock.runFor(Duration.ofMillis(100));
        Packet stale = Packet.of(MessageType.MESSAGE, 7, clock.currentTimeMillis() - Duration.ofDays(3).toMillis(),
                n[0].peerId(), null, "stale".getBytes(StandardCharsets.UTF_8));
        inject("c", PacketCodec.encode(stale.withSignature(old.sign(PacketCodec.signingBytes(stale)))));
        // 7. garbage
        inject("c", new byte[] {1, 2, 3});
        clock.runFor(Duration.ofSeconds(1));
        assertThat(got("c")).hasSize((int) before);
        assertThat(n[2].findPeer("a").orElseThrow().fingerprint()).isEqualTo(n[0].fingerprint());
        NodeStats s = n[2].stats();
        assertThat(s.duplicates()).isPositive();
        assertThat(s.badSignatures()).isGreaterThanOrEqualTo(4);
        assertThat(s.replays()).isGreaterThanOrEqualTo(1);
        assertThat(s.malformed()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void relaysNeverGiveAPacketMoreHopsThanTheirOwnLimit() throws IOException, CodecException {
        BitChatCla[] n = line();
        List<byte[]> fromB = tap("c"); // c's only neighbour is b
        BitChatIdentity far = BitChatIdentity.generate();
        AnnouncePayload a = new AnnouncePayload("far", far.noisePublicKey(), far.signingPublicKey(), 0);
        Packet ann = Packet.of(MessageType.ANNOUNCE, 7, clock.currentTimeMillis(), far.peerId(), null, a.encode());
        inject("b", PacketCodec.encode(ann.withSignature(far.sign(PacketCodec.signingBytes(ann)))));
        Packet loud = Packet.of(MessageType.MESSAGE, 200, clock.currentTimeMillis(), far.peerId(), null,
                "flood everything".getBytes(StandardCharsets.UTF_8));
        inject("b", PacketCodec.encode(loud.withSignature(far.sign(PacketCodec.signingBytes(loud)))));
        Packet relayed = null;
        for (byte[] f : fromB) {
            Packet p = PacketCodec.decode(f);
            if (p.type() == MessageType.MESSAGE.code() && p.sender().equals(far.peerId())) {
                relayed = p;
            }
        }
        assertThat(relayed).isNotNull();
        assertThat(relayed.ttl()).isEqualTo(6); // max_ttl 7, one hop used
        assertThat(got("c")).extracting(ReceivedMessage::text).contains("flood everything");
    }

    @Test
    void replayedOldAnnounceDoesNotRollBackAPeer() throws IOException {
        BitChatCla[] n = line();
        List<byte[]> frames = tap("c");
        clock.runFor(Duration.ofSeconds(12)); // two more announce rounds
        List<byte[]> announcesOfA = new ArrayList<>();
        for (byte[] f : frames) {
            try {
                Packet p = PacketCodec.decode(f);
                if (p.type() == MessageType.ANNOUNCE.code() && p.sender().equals(n[0].peerId())) {
                    announcesOfA.add(f);
                }
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(announcesOfA).hasSizeGreaterThanOrEqualTo(2);
        long replaysBefore = n[2].stats().replays() + n[2].stats().duplicates();
        byte[] first = announcesOfA.get(0).clone();
        first[2] = 1; // a different TTL makes no difference: TTL is not part of the packet id
        inject("c", first);
        clock.runFor(Duration.ofMillis(100));
        assertThat(n[2].stats().replays() + n[2].stats().duplicates()).isGreaterThan(replaysBefore);
    }

    @Test
    void messagesForAnOfflinePeerAreStoredAndDeliveredWhenItReturns() throws IOException {
        BitChatCla[] n = line();
        net.disconnect("b", "c");
        clock.runFor(Duration.ofSeconds(30)); // c times out at a
        assertThat(n[0].findPeer("c").orElseThrow().online()).isFalse();
        String low = n[0].sendMessage(MessageConfig.text(n[2].peerId(), "while you were away").withPriority(Priority.LOW));
        String pub = n[0].sendMessage(MessageConfig.publicText("public while c was away"));
        clock.runFor(Duration.ofSeconds(20));
        assertThat(n[0].deliveryStatus(low)).isEqualTo(DeliveryStatus.PENDING);
        assertThat(got("c")).isEmpty();
        net.connect("b", "c", InMemoryNetwork.LinkProfile.PERFECT);
        assertThat(clock.runUntil(() -> status.get(low) == DeliveryStatus.DELIVERED, Duration.ofSeconds(30))).isTrue();
        assertThat(got("c")).extracting(ReceivedMessage::text)
                .contains("while you were away", "public while c was away");
        assertThat(pub).isNotBlank();
    }

    @Test
    void storeIsBoundedWithPriorityAwareEvictionAndExpiry() throws IOException {
        BitChatCla a = node("a", PeerConfig.builder().maxStoredMessages(2));
        a.startDiscovery();
        MeshPeerId nobody = MeshPeerId.ofLong(0x1234);
        String normal = a.sendMessage(MessageConfig.text(nobody, "normal"));
        String high = a.sendMessage(MessageConfig.text(nobody, "high").withPriority(Priority.HIGH));
        String low = a.sendMessage(MessageConfig.text(nobody, "low").withPriority(Priority.LOW));
        assertThat(a.deliveryStatus(low)).isEqualTo(DeliveryStatus.DROPPED);
        String critical = a.sendMessage(MessageConfig.text(nobody, "critical").withPriority(Priority.CRITICAL)
                .withTtlHours(1));
        assertThat(a.deliveryStatus(normal)).isEqualTo(DeliveryStatus.DROPPED);
        assertThat(a.deliveryStatus(high)).isEqualTo(DeliveryStatus.PENDING);
        assertThat(a.stats().storedMessages()).isEqualTo(2);
        clock.runFor(Duration.ofMinutes(61));
        assertThat(a.deliveryStatus(critical)).isEqualTo(DeliveryStatus.EXPIRED);
        assertThat(a.deliveryStatus(high)).isEqualTo(DeliveryStatus.PENDING); // 24 h default
        assertThatThrownBy(() -> a.sendMessage(MessageConfig.text(a.peerId(), "me"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownSendersMessagesWaitForTheirAnnounce() throws IOException {
        BitChatCla a = node("a");
        BitChatCla b = node("b");
        net.connect("a", "b", InMemoryNetwork.LinkProfile.PERFECT);
        clock.runFor(Duration.ofMillis(10));
        a.sendMessage(MessageConfig.publicText("before anyone knows me"));
        clock.runFor(Duration.ofSeconds(1));
        assertThat(got("b")).isEmpty(); // cannot verify yet
        a.startDiscovery();
        clock.runFor(Duration.ofSeconds(1));
        assertThat(got("b")).extracting(ReceivedMessage::text).containsExactly("before anyone knows me");
        assertThat(b.getDiscoveredPeers()).hasSize(1);
    }

    @Test
    void sessionRecoversAfterThePeerRestarts() throws IOException {
        BitChatIdentity cId = BitChatIdentity.generate();
        BitChatCla a = node("a");
        BitChatCla c1 = BitChatCla.builder(PeerConfig.builder().nickname("c").listenPort(-1).multicastGroup(null)
                .announceInterval(Duration.ofSeconds(5)).handshakeTimeout(Duration.ofSeconds(3)).build())
                .identity(cId).defaultTransports(false).transport(net.endpoint("c")).scheduler(clock).build();
        net.connect("a", "c", InMemoryNetwork.LinkProfile.PERFECT);
        a.startDiscovery();
        c1.startDiscovery();
        clock.runFor(Duration.ofSeconds(1));
        String first = a.sendMessage(MessageConfig.text(cId.peerId(), "one"));
        assertThat(clock.runUntil(() -> status.get(first) == DeliveryStatus.DELIVERED, Duration.ofSeconds(5))).isTrue();
        c1.close(); // c restarts with the same identity but no session
        net.endpoint("c2");
        net.disconnect("a", "c");
        List<ReceivedMessage> atC = new ArrayList<>();
        BitChatCla c2 = BitChatCla.builder(PeerConfig.builder().nickname("c").listenPort(-1).multicastGroup(null)
                .announceInterval(Duration.ofSeconds(5)).handshakeTimeout(Duration.ofSeconds(3)).build())
                .identity(cId).defaultTransports(false).transport(net.endpoint("c2")).scheduler(clock)
                .listener(new BitChatListener() {
                    @Override
                    public void onMessage(ReceivedMessage m) {
                        atC.add(m);
                    }
                }).build();
        nodes.add(c2);
        net.connect("a", "c2", InMemoryNetwork.LinkProfile.PERFECT);
        c2.startDiscovery();
        clock.runFor(Duration.ofSeconds(1));
        String second = a.sendMessage(MessageConfig.text(cId.peerId(), "two"));
        assertThat(clock.runUntil(() -> status.get(second) == DeliveryStatus.DELIVERED, Duration.ofSeconds(30))).isTrue();
        assertThat(atC).extracting(ReceivedMessage::text).containsExactly("two");
    }

    /** Records every frame delivered to {@code name} by wrapping its listener. */
    private List<byte[]> tap(String name) {
        List<byte[]> frames = new ArrayList<>();
        InMemoryNetwork.Endpoint ep = net.endpoint(name);
        BitChatCla owner = nodes.stream().filter(x -> x.nickname().equals(name)).findFirst().orElseThrow();
        // attach a second endpoint that hears everything the node's neighbours send to it
        String spy = name + "-spy";
        for (Neighbor nb : ep.neighbors()) {
            net.connect(spy, nb.address(), InMemoryNetwork.LinkProfile.PERFECT);
        }
        net.endpoint(spy).start(new Transport.Listener() {
            @Override
            public void onFrame(Transport t, Neighbor from, byte[] frame) {
                frames.add(frame);
            }
        });
        assertThat(owner).isNotNull();
        return frames;
    }

    /** Delivers {@code frame} to node {@code name} as if a neighbour had sent it. */
    private void inject(String name, byte[] frame) {
        String src = "injector-" + name;
        if (!net.linked(src, name)) {
            net.connect(src, name, InMemoryNetwork.LinkProfile.PERFECT);
            clock.runFor(Duration.ofMillis(1));
        }
        net.endpoint(src).broadcast(frame, null);
        clock.runFor(Duration.ofMillis(200));
    }
}
