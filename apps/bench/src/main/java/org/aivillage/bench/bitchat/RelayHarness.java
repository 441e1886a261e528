package org.aivillage.bench.bitchat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aivillage.bitchat.BitChatCla;
import org.aivillage.bitchat.BitChatIdentity;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.NodeStats;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.RelayPolicy;
import org.aivillage.bitchat.sim.InMemoryNetwork;
import org.aivillage.bitchat.sim.VirtualScheduler;
import org.aivillage.bitchat.wire.AnnouncePayload;
import org.aivillage.bitchat.wire.FragmentPayload;
import org.aivillage.bitchat.wire.MessageType;
import org.aivillage.bitchat.wire.Packet;
import org.aivillage.bitchat.wire.PacketCodec;

/**
 * One BitChat node under load: frames arrive from an injector link and the node relays them to
 * {@code degree} neighbour links (relay policy: flooding without delay, so every packet that should
 * go out goes out). Senders and the private-message recipient are announced first, so signatures
 * are checked and private packets are relayed rather than stored.
 */
final class RelayHarness implements AutoCloseable {
    enum Kind {
        /** signed public message (Ed25519 verify, dedup, deliver, relay) */
        PUBLIC,
        /** Noise-encrypted packet for another peer (dedup, relay; no crypto on the relay) */
        PRIVATE,
        /** the same frames again (dedup drop) */
        DUPLICATE,
        /** fragments of private packets for another peer (relay only) */
        FRAGMENT
    }

    final VirtualScheduler clock = new VirtualScheduler(1_767_225_600_000L);
    final InMemoryNetwork net = new InMemoryNetwork(clock, new SplittableRandom(1));
    final BitChatCla node;
    final InMemoryNetwork.Endpoint injector;
    private final List<BitChatIdentity> senders = new ArrayList<>();
    private final BitChatIdentity recipient = BitChatIdentity.generate();
    private final SplittableRandom random = new SplittableRandom(42);
    private long timestamp;

    RelayHarness(int degree) throws IOException {
        PeerConfig config = PeerConfig.builder().nickname("relay").listenPort(-1).multicastGroup(null)
                .maxStoredMessages(1000).inboxCapacity(16).build();
        node = BitChatCla.builder(config).defaultTransports(false).transport(net.endpoint("relay")).scheduler(clock)
                .relayPolicy(RelayPolicy.flooding(Duration.ZERO, Duration.ZERO)).random(new SplittableRandom(3)).build();
        for (int i = 0; i < degree; i++) {
            net.connect("relay", "n" + i, InMemoryNetwork.LinkProfile.PERFECT);
        }
        net.connect("relay", "injector", InMemoryNetwork.LinkProfile.PERFECT);
        injector = net.endpoint("injector");
        clock.runFor(Duration.ofMillis(1));
        timestamp = clock.currentTimeMillis();
        for (int i = 0; i < 16; i++) {
            senders.add(BitChatIdentity.generate());
        }
        List<BitChatIdentity> announced = new ArrayList<>(senders);
        announced.add(recipient);
        for (BitChatIdentity id : announced) {
            AnnouncePayload a = new AnnouncePayload("s", id.noisePublicKey(), id.signingPublicKey(), 0);
            Packet p = Packet.of(MessageType.ANNOUNCE, 7, timestamp, id.peerId(), null, a.encode());
            inject(PacketCodec.encode(p.withSignature(id.sign(PacketCodec.signingBytes(p)))));
        }
        clock.runFor(Duration.ofMillis(10));
    }

    /** {@code count} distinct frames of {@code kind} (DUPLICATE: copies of PRIVATE frames injected once first). */
    List<byte[]> frames(Kind kind, int count) {
        List<byte[]> out = new ArrayList<>(count);
        switch (kind) {
            case PUBLIC -> {
                for (int i = 0; i < count; i++) {
                    BitChatIdentity s = senders.get(i % senders.size());
                    byte[] text = ("public message number " + i + " ".repeat(60)).getBytes(StandardCharsets.UTF_8);
                    Packet p = Packet.of(MessageType.MESSAGE, 5, ++timestamp, s.peerId(), null, text);
                    out.add(PacketCodec.encode(p.withSignature(s.sign(PacketCodec.signingBytes(p)))));
                }
            }
            case PRIVATE, DUPLICATE -> {
                for (int i = 0; i < count; i++) {
                    byte[] ct = new byte[4 + 100 + 16];
                    random.nextBytes(ct);
                    Packet p = Packet.of(MessageType.NOISE_ENCRYPTED, 5, ++timestamp, senders.get(i % senders.size()).peerId(),
                            recipient.peerId(), ct);
                    out.add(PacketCodec.encode(p));
                }
            }
            case FRAGMENT -> {
                for (int i = 0; i < count; i++) {
                    byte[] data = new byte[469];
                    random.nextBytes(data);
                    byte[] fid = new byte[8];
                    random.nextBytes(fid);
                    FragmentPayload f = new FragmentPayload(fid, 0, 4, MessageType.NOISE_ENCRYPTED.code(), data);
                    Packet p = Packet.of(MessageType.FRAGMENT, 5, ++timestamp, senders.get(i % senders.size()).peerId(),
                            recipient.peerId(), f.encode());
                    out.add(PacketCodec.encode(p));
                }
            }
        }
        return out;
    }

    void inject(byte[] frame) {
        injector.broadcast(frame, null);
        clock.runFor(Duration.ZERO);
    }

    NodeStats stats() {
        return node.stats();
    }

    MeshPeerId peerId() {
        return node.peerId();
    }

    @Override
    public void close() {
        node.close();
        clock.close();
    }
}
