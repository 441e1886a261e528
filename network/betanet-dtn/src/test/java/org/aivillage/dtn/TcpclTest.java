package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.aivillage.dtn.internal.TcpclSession;
import org.junit.jupiter.api.Test;

/** TCPCLv4 sessions on loopback: segmentation, acknowledgement, refusal, TLS, wire-level checks. */
class TcpclTest {

    /** Records links and bundles; accepts or refuses per {@code refuse}. */
    static final class Recorder implements ClaListener {
        final List<byte[]> bundles = new CopyOnWriteArrayList<>();
        final List<ClaLink> up = new CopyOnWriteArrayList<>();
        final List<ClaLink> down = new CopyOnWriteArrayList<>();
        volatile int refuse = -1;

        @Override
        public void linkUp(ClaLink link) {
            up.add(link);
        }

        @Override
        public void linkDown(ClaLink link) {
            down.add(link);
        }

        @Override
        public CompletionStage<Void> bundleReceived(ClaLink link, byte[] bundle) {
            if (refuse >= 0) {
                return CompletableFuture.failedFuture(new BundleRefusedException(refuse, "no"));
            }
            bundles.add(bundle);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static TcpclConvergenceLayer layer(String node, int port, TcpclOptions o) {
        return new TcpclConvergenceLayer(EndpointId.parse(node), InetAddress.getLoopbackAddress(), port, o);
    }

    @Test
    void segmentsAreReassembledAndAcknowledged() throws Exception {
        TcpclOptions small = TcpclOptions.defaults().withSegmentMru(1024);
        Recorder rx = new Recorder();
        try (TcpclConvergenceLayer server = layer("dtn://srv/", 0, small);
                TcpclConvergenceLayer client = layer("dtn://cli/", -1, small)) {
            server.start(rx);
            client.start(new Recorder());
            ClaLink link = client.connect("127.0.0.1:" + server.port(), EndpointId.parse("dtn://srv/"), Duration.ofSeconds(5));
            assertThat(link.peerNodeId()).isEqualTo(EndpointId.parse("dtn://srv/"));
            byte[] big = new byte[10_000];
            new java.util.Random(5).nextBytes(big);
            List<CompletableFuture<Void>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(link.transmit(big));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(rx.bundles).hasSize(50).allSatisfy(b -> assertThat(b).isEqualTo(big));
            assertThat(rx.up).hasSize(1);
            assertThat(rx.up.getFirst().peerNodeId()).isEqualTo(EndpointId.parse("dtn://cli/"));
        }
    }

    @Test
    void refusalReachesTheSender() throws Exception {
        Recorder rx = new Recorder();
        rx.refuse = BundleRefusedException.NO_RESOURCES;
        try (TcpclConvergenceLayer server = layer("dtn://srv/", 0, TcpclOptions.defaults());
                TcpclConvergenceLayer client = layer("dtn://cli/", -1, TcpclOptions.defaults())) {
            server.start(rx);
            client.start(new Recorder());
            ClaLink link = client.connect("127.0.0.1:" + server.port(), null, Duration.ofSeconds(5));
            assertThatThrownBy(() -> link.send(new byte[100], Duration.ofSeconds(5)))
                    .isInstanceOf(BundleRefusedException.class)
                    .satisfies(e -> assertThat(((BundleRefusedException) e).reason()).isEqualTo(BundleRefusedException.NO_RESOURCES));
            assertThat(link.isOpen()).isTrue();
        }
    }

    @Test
    void wrongPeerIdAndBadContactHeaderAreRejected() throws Exception {
        Recorder rx = new Recorder();
        try (TcpclConvergenceLayer server = layer("dtn://srv/", 0, TcpclOptions.defaults());
                TcpclConvergenceLayer client = layer("dtn://cli/", -1, TcpclOptions.defaults())) {
            server.start(rx);
            client.start(new Recorder());
            assertThatThrownBy(() -> client.connect("127.0.0.1:" + server.port(), EndpointId.parse("dtn://other/"),
                    Duration.ofSeconds(5))).isInstanceOf(IOException.class).hasMessageContaining("expected");
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5000);
                new DataOutputStream(s.getOutputStream()).write("HTTP/1.1 GET /\r\n".getBytes());
                assertThat(s.getInputStream().read()).as("server closes a non-TCPCL peer").isEqualTo(-1);
            }
        }
    }

    @Test
    void wireFormatOfContactHeaderAndSessInit() throws Exception {
        Recorder rx = new Recorder();
        try (TcpclConvergenceLayer server = layer("dtn://srv/", 0, TcpclOptions.defaults())) {
            server.start(rx);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                out.write(new byte[] {'d', 't', 'n', '!', 4, 0});
                byte[] header = new byte[6];
                in.readFully(header);
                assertThat(header).containsExactly('d', 't', 'n', '!', 4, 0);
                // Our SESS_INIT by hand: keepalive 0, MRUs 64 KiB / 1 MiB, node id, no extensions.
                byte[] id = "dtn://raw/".getBytes();
                out.write(0x07);
                out.writeShort(0);
                out.writeLong(65536);
                out.writeLong(1 << 20);
                out.writeShort(id.length);
                out.write(id);
                out.writeInt(0);
                assertThat(in.readUnsignedByte()).isEqualTo(0x07);
                assertThat(in.readUnsignedShort()).isEqualTo(30);
                assertThat(in.readLong()).isEqualTo(1 << 20);
                assertThat(in.readLong()).isEqualTo(64L << 20);
                byte[] peer = new byte[in.readUnsignedShort()];
                in.readFully(peer);
                assertThat(new String(peer)).isEqualTo("dtn://srv/");
                assertThat(in.readInt()).isZero();
                // One single-segment transfer; the ack mirrors the flags and acknowledges every byte.
                out.write(0x01);
                out.write(0x03);
                out.writeLong(42);
                out.writeInt(0);
                out.writeLong(5);
                out.write(new byte[] {1, 2, 3, 4, 5});
                assertThat(in.readUnsignedByte()).isEqualTo(0x02);
                assertThat(in.readUnsignedByte()).isEqualTo(0x03);
                assertThat(in.readLong()).isEqualTo(42);
                assertThat(in.readLong()).isEqualTo(5);
                // SESS_TERM gets a reply.
                out.write(0x05);
                out.write(0x00);
                out.write(0x00);
                assertThat(in.readUnsignedByte()).isEqualTo(0x05);
                assertThat(in.readUnsignedByte()).isEqualTo(0x01);
            }
            Nodes.await("bundle handed to the listener", Duration.ofSeconds(5), () -> rx.bundles.size() == 1);
        }
    }

    @Test
    void tlsSessionWhenBothOfferIt() throws Exception {
        SSLContext ctx = selfSignedContext();
        TcpclOptions tls = TcpclOptions.defaults().withTls(ctx, true);
        Recorder rx = new Recorder();
        try (TcpclConvergenceLayer server = layer("dtn://srv/", 0, tls);
                TcpclConvergenceLayer client = layer("dtn://cli/", -1, tls);
                TcpclConvergenceLayer plain = layer("dtn://plain/", -1, TcpclOptions.defaults())) {
            server.start(rx);
            client.start(new Recorder());
            plain.start(new Recorder());
            ClaLink link = client.connect("127.0.0.1:" + server.port(), null, Duration.ofSeconds(10));
            assertThat(((TcpclSession) link).tls()).isTrue();
            link.send("over tls".getBytes(), Duration.ofSeconds(10));
            assertThat(rx.bundles).hasSize(1);
            assertThatThrownBy(() -> plain.connect("127.0.0.1:" + server.port(), null, Duration.ofSeconds(5)))
                    .isInstanceOf(IOException.class);
        }
    }

    static SSLContext selfSignedContext() throws Exception {
        return TestCertificates.context(TestCertificates.identity());
    }
}
