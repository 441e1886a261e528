package org.aivillage.bitchat.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.aivillage.bitchat.BitChatCla;
import org.aivillage.bitchat.DeliveryStatus;
import org.aivillage.bitchat.MessageConfig;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.ReceivedMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two nodes in one JVM over real sockets on 127.0.0.1, on the wall clock. */
class LoopbackTransportsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static PeerConfig.Builder base(String nick) {
        return PeerConfig.builder().nickname(nick).bindAddress("127.0.0.1").multicastGroup(null)
                .announceInterval(Duration.ofSeconds(2)).handshakeTimeout(Duration.ofSeconds(2));
    }

    @Test
    @Timeout(60)
    void tcpPeersExchangePublicAndPrivateMessages() throws Exception {
        try (BitChatCla alice = new BitChatCla(base("alice").listenPort(0).build())) {
            InetSocketAddress at = alice.tcpAddress().orElseThrow();
            try (BitChatCla bob = new BitChatCla(base("bob").listenPort(-1).staticPeers(List.of(at)).build())) {
                alice.startDiscovery();
                bob.startDiscovery();
                await(() -> alice.findPeer("bob").isPresent() && bob.findPeer("alice").isPresent());
                bob.sendMessage(MessageConfig.publicText("hello from bob"));
                ReceivedMessage pub = next(alice);
                assertThat(pub.text()).isEqualTo("hello from bob");
                assertThat(pub.privateMessage()).isFalse();
                String id = alice.sendMessage(MessageConfig.text(bob.peerId(), "secret for bob"));
                ReceivedMessage priv = next(bob);
                assertThat(priv.text()).isEqualTo("secret for bob");
                assertThat(priv.privateMessage()).isTrue();
                assertThat(priv.senderNickname()).isEqualTo("alice");
                await(() -> alice.deliveryStatus(id) == DeliveryStatus.DELIVERED);
                assertThat(alice.neighborCount()).isEqualTo(1);
            }
            // bob's leave arrives before its link closes
            await(() -> !alice.findPeer("bob").orElseThrow().online());
        }
    }

    @Test
    @Timeout(60)
    void multicastPeersDiscoverEachOtherOnLoopback() throws Exception {
        int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
        InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.255.77.78"), port);
        Assumptions.assumeTrue(loopbackMulticastWorks(group), "multicast on the loopback interface is not available here");
        PeerConfig.Builder mc = PeerConfig.builder().listenPort(-1).multicastGroup(group).multicastInterface("lo")
                .announceInterval(Duration.ofSeconds(2)).handshakeTimeout(Duration.ofSeconds(2));
        try (BitChatCla alice = new BitChatCla(mc.nickname("alice").build());
                BitChatCla bob = new BitChatCla(mc.nickname("bob").build())) {
            assertThat(alice.transports()).hasOnlyElementsOfType(UdpMulticastTransport.class).hasSize(1);
            alice.startDiscovery();
            bob.startDiscovery();
            await(() -> alice.findPeer("bob").isPresent() && bob.findPeer("alice").isPresent());
            alice.sendMessage(MessageConfig.publicText("multicast hello"));
            assertThat(next(bob).text()).isEqualTo("multicast hello");
            String id = bob.sendMessage(MessageConfig.text(alice.peerId(), "multicast private"));
            assertThat(next(alice).text()).isEqualTo("multicast private");
            await(() -> bob.deliveryStatus(id) == DeliveryStatus.DELIVERED);
        }
    }

    /** Whether a datagram sent to {@code group} on "lo" comes back to a member socket. */
    static boolean loopbackMulticastWorks(InetSocketAddress group) {
        try {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            if (lo == null) {
                return false;
            }
            try (DatagramChannel r = DatagramChannel.open(StandardProtocolFamily.INET);
                    DatagramChannel s = DatagramChannel.open(StandardProtocolFamily.INET)) {
                r.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(group.getPort()));
                r.join(group.getAddress(), lo);
                s.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo).setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                r.configureBlocking(false);
                ByteBuffer buf = ByteBuffer.allocate(16);
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < deadline) {
                    s.send(ByteBuffer.wrap(new byte[] {1}), group);
                    if (r.receive(buf) != null) {
                        return true;
                    }
                    Thread.sleep(50); // probe retry
                }
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ReceivedMessage next(BitChatCla node) throws InterruptedException {
        Optional<ReceivedMessage> m = node.receiveMessage(WAIT);
        assertThat(m).as("a message at %s within %s", node.nickname(), WAIT).isPresent();
        return m.get();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(20); // polling an awaited condition
        }
    }
}
