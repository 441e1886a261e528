package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hand-driven client that breaks the protocol against a real server-side connection engine:
 * each violation closes that connection with a logged reason and a CLOSE frame naming it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeerTest {
    static final Duration T = Duration.ofSeconds(20);
    Socket client;
    Socket serverSide;
    Connection server;
    FrameWriter evil;
    FrameReader replies;

    void start(HtxLimits limits) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            serverSide = ss.accept();
        }
        byte[] c2s = Randomness.bytes(32);
        byte[] s2c = Randomness.bytes(32);
        byte[] h = Randomness.bytes(32);
        server = Connection.start(Connection.Role.SERVER,
                new StreamTransport(serverSide.getInputStream(), serverSide.getOutputStream(), serverSide.getRemoteSocketAddress(), serverSide),
                new FrameSealer(s2c.clone(), h, RekeyPolicy.DEFAULT, System::nanoTime), new FrameOpener(c2s.clone(), h), limits,
                new Connection.PeerSettings(100, 65_535), KeyAgreement.X25519, BehaviourPolicy.DISABLED,
                HtxMetrics.of(new SimpleMeterRegistry(), "server"));
        evil = new FrameWriter(client.getOutputStream(), new FrameSealer(c2s, h, RekeyPolicy.DEFAULT, System::nanoTime), 1 << 20, g -> { });
        replies = new FrameReader(client.getInputStream(), new FrameOpener(s2c, h), FrameCodec.MAX_LENGTH);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.close();
        if (client != null) client.close();
        if (serverSide != null) serverSide.close();
    }

    /** Waits for the server to close; returns the CLOSE frame it sent (skipping other frames). */
    Frame.Close expectClose(String reasonFragment) throws Exception {
        assertThat(server.awaitClosed(T)).isTrue();
        assertThat(server.closeReason()).contains(reasonFragment);
        Frame f;
        while ((f = replies.read()) != null) {
            if (f instanceof Frame.Close c) {
                assertThat(c.reason()).contains(reasonFragment);
                return c;
            }
        }
        throw new AssertionError("no CLOSE frame before end of stream");
    }

    void send(Frame f) throws IOException {
        evil.write(f);
        evil.flush();
    }

    /**
     * The sending side's frame sizes, read off the wire: the first {@link HtxLimits#HEAD_BYTES} of
     * every write in one-record frames, the rest of a long write in {@link HtxLimits#BULK_FRAME}s,
     * a short write in one frame; a peer that accepts less caps every frame.
     */
    @Test
    void aWritesHeadTravelsInOneRecordFramesAndItsBulkInFourRecordFrames() throws Exception {
        start(HtxLimits.DEFAULT);
        send(new Frame.StreamData(1, new byte[] {7}));
        org.aivillage.betanet.htx.HtxStream stream = server.acceptStream(T);
        assertThat(stream.inputStream().read()).isEqualTo(7);
        send(new Frame.WindowUpdate(1, 4 << 20));
        send(new Frame.WindowUpdate(0, 4 << 20));
        send(new Frame.Ping(Frame.PingKind.PING, new byte[8]));
        // The server reads frames in order: its acknowledgement means the credit is in place.
        while (!(replies.read() instanceof Frame.Ping ack && ack.kind() == Frame.PingKind.ACK)) {
            // window updates and the like
        }
        byte[] big = Randomness.bytes(200_000);
        byte[] small = Randomness.bytes(10_000);
        java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try (writer) {
            java.util.concurrent.Future<?> done = writer.submit(() -> {
                stream.outputStream().write(big);
                stream.outputStream().write(small);
                return null;
            });
            java.util.List<Integer> sizes = new java.util.ArrayList<>();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            while (got.size() < big.length + small.length) {
                if (replies.read() instanceof Frame.StreamData d && d.streamId() == 1) {
                    sizes.add(d.data().length);
                    got.write(d.data());
                }
            }
            done.get(20, TimeUnit.SECONDS);
            int r = HtxLimits.RECORD_ALIGNED_FRAME;
            int b = HtxLimits.BULK_FRAME;
            assertThat(sizes).containsExactly(r, r, r, r, b, b, 200_000 - 4 * r - 2 * b, 10_000);
            byte[] both = new byte[big.length + small.length];
            System.arraycopy(big, 0, both, 0, big.length);
            System.arraycopy(small, 0, both, big.length, small.length);
            assertThat(got.toByteArray()).isEqualTo(both);
        }
    }

    @Test
    void streamWithTheServersParityThatWasNeverOpened() throws Exception {
        start(HtxLimits.DEFAULT);
        send(new Frame.StreamData(2, new byte[] {1}));
        assertThat(expectClose("wrong parity").code()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void streamZero() throws Exception {
        start(HtxLimits.DEFAULT);
        send(new Frame.StreamData(0, new byte[] {1}));
        expectClose("stream 0");
    }

    @Test
    void streamWindowViolation() throws Exception {
        start(HtxLimits.SPEC_WINDOWS);
        for (int i = 0; i < 5; i++) {
            evil.write(FrameType.STREAM, 1, new byte[16_384], 0, 16_384);
        }
        evil.flush();
        assertThat(expectClose("window exceeded").code()).isEqualTo(CloseCodes.FLOW_CONTROL_ERROR);
    }

    @Test
    void connectionWindowViolation() throws Exception {
        start(HtxLimits.DEFAULT.withWindows(65_535, 65_535));
        for (int id = 1; id <= 7; id += 2) {
            evil.write(FrameType.STREAM, id, new byte[20_000], 0, 20_000);
        }
        evil.flush();
        expectClose("connection window exceeded");
    }

    @Test
    void frameLongerThanTheLimitIsRefusedBeforeItsBody() throws Exception {
        start(HtxLimits.DEFAULT);
        OutputStream raw = client.getOutputStream();
        raw.write(new byte[] {0x01, 0x00, 0x00, 0x00, 0x01}); // uint24 65,536 | STREAM | id 1
        raw.flush();
        assertThat(expectClose("exceeds the limit").code()).isEqualTo(CloseCodes.FRAME_SIZE_ERROR);
    }

    @Test
    void garbageInsteadOfFrames() throws Exception {
        start(HtxLimits.DEFAULT);
        byte[] junk = Randomness.bytes(4096);
        junk[3] = 0; // a STREAM header, so the garbage gets as far as authentication
        junk[0] = 0;
        junk[1] = 1;
        client.getOutputStream().write(junk);
        client.getOutputStream().flush();
        assertThat(expectClose("authentication").code()).isEqualTo(CloseCodes.AUTHENTICATION_FAILED);
    }

    @Test
    void unknownFrameType() throws Exception {
        start(HtxLimits.DEFAULT);
        client.getOutputStream().write(new byte[] {0, 0, 0, 9});
        client.getOutputStream().flush();
        expectClose("unknown frame type 9");
    }

    @Test
    void dataAfterFin() throws Exception {
        start(HtxLimits.DEFAULT);
        send(new Frame.StreamData(1, new byte[] {1}));
        send(new Frame.StreamData(1, new byte[0]));
        send(new Frame.StreamData(1, new byte[] {2}));
        expectClose("after FIN");
    }

    @Test
    void tooManyStreams() throws Exception {
        start(HtxLimits.DEFAULT.withMaxStreams(3));
        for (int id = 1; id <= 7; id += 2) {
            evil.write(FrameType.STREAM, id, new byte[] {1}, 0, 1);
        }
        evil.flush();
        assertThat(expectClose("more than 3 streams").code()).isEqualTo(CloseCodes.STREAM_LIMIT_ERROR);
    }

    @Test
    void windowUpdateOverflow() throws Exception {
        start(HtxLimits.DEFAULT);
        send(new Frame.WindowUpdate(0, FrameCodec.MAX_WINDOW));
        expectClose("above 2^31-1");
    }

    @Test
    void pingFloodWhileNotReadingHitsTheControlQueueBound() throws Exception {
        start(new HtxLimits(100, 65_535, 65_535, 65_535, 16_384, 16, 16, Duration.ofSeconds(10), 16));
        client.setReceiveBufferSize(4096);
        // Never read the ACKs: the server's socket buffer fills, then its bounded control queue.
        byte[] data = new byte[8];
        Thread flooder = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 2_000_000 && server.isOpen(); i++) {
                    evil.write(new Frame.Ping(Frame.PingKind.PING, data));
                    if (i % 1000 == 0) evil.flush();
                }
                evil.flush();
            } catch (IOException expected) {
                // the server closed on us
            }
        });
        assertThat(server.awaitClosed(Duration.ofSeconds(40))).isTrue();
        assertThat(server.closeReason()).contains("control queue full");
        flooder.join(10_000);
    }
}
