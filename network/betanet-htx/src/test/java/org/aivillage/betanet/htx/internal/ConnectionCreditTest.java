package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection credit shared between streams: a real sending engine against a hand-driven receiver
 * that grants exactly the WINDOW_UPDATEs the test chooses, so the order in which waiting streams
 * get connection credit is observable frame by frame.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionCreditTest {
    static final Duration T = Duration.ofSeconds(20);
    static final int CHUNK = HtxLimits.RECORD_ALIGNED_FRAME;
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    final List<AutoCloseable> cleanup = new ArrayList<>();
    Connection sender;
    FrameWriter peerOut;
    FrameReader peerIn;

    void start() throws IOException {
        Socket a;
        Socket b;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            a = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            b = ss.accept();
        }
        cleanup.add(a);
        cleanup.add(b);
        byte[] out = Randomness.bytes(32);
        byte[] in = Randomness.bytes(32);
        byte[] h = Randomness.bytes(32);
        sender = Connection.start(Connection.Role.SERVER,
                new StreamTransport(a.getInputStream(), a.getOutputStream(), a.getRemoteSocketAddress(), a),
                new FrameSealer(out.clone(), h, RekeyPolicy.DEFAULT, System::nanoTime), new FrameOpener(in.clone(), h), HtxLimits.DEFAULT,
                new Connection.PeerSettings(100, 65_535), KeyAgreement.X25519, BehaviourPolicy.DISABLED,
                HtxMetrics.of(new SimpleMeterRegistry(), "sender"));
        cleanup.add(sender);
        peerOut = new FrameWriter(b.getOutputStream(), new FrameSealer(in, h, RekeyPolicy.DEFAULT, System::nanoTime), 1 << 20, g -> { });
        peerIn = new FrameReader(b.getInputStream(), new FrameOpener(out, h), FrameCodec.MAX_LENGTH);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    void grant(long streamId, int increment) throws IOException {
        peerOut.write(new Frame.WindowUpdate(streamId, increment));
        peerOut.flush();
    }

    /** The next STREAM frame from the sender (control frames skipped). */
    Frame.StreamData nextData() throws Exception {
        while (true) {
            Frame f = peerIn.read();
            if (f == null) {
                throw new IOException("sender closed");
            }
            if (f instanceof Frame.StreamData d) {
                return d;
            }
        }
    }

    /** Writes {@code total} bytes on {@code s} in one-frame writes, on its own virtual thread. */
    Future<?> writer(HtxStream s, long total) {
        return pool.submit(() -> {
            byte[] chunk = new byte[CHUNK];
            for (long sent = 0; sent < total; sent += CHUNK) {
                s.outputStream().write(chunk);
            }
            return null;
        });
    }

    @Test
    void streamsWaitingForConnectionCreditGetItInTurn() throws Exception {
        start();
        List<HtxStream> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HtxStream s = sender.openStream(T);
            s.setWriteTimeout(T);
            streams.add(s);
        }
        // Stream windows are plentiful; only the connection window (65,535 at first) limits.
        for (HtxStream s : streams) {
            grant(s.id(), 8 << 20);
        }
        for (HtxStream s : streams) {
            writer(s, 8L << 20);
        }
        // Drain the initial connection window (whoever ran first took it), then all three wait.
        long initial = 0;
        while (initial < HtxLimits.INITIAL_WINDOW) {
            initial += nextData().data().length;
        }
        // Grant three frames' worth at a time: each stream gets one frame per grant, whichever of
        // them happens to be running when the credit arrives.
        // (The stream that took the last 111 bytes of the initial window sends the rest of its
        // write as a shorter frame on its next turn, hence bytes rather than frames.)
        Map<Long, Long> bytes = new HashMap<>();
        for (int round = 0; round < 30; round++) {
            grant(0, 3 * CHUNK);
            long got = 0;
            while (got < 3 * CHUNK) {
                Frame.StreamData d = nextData();
                got += d.data().length;
                bytes.merge(d.streamId(), (long) d.data().length, Long::sum);
            }
            assertThat(got).isEqualTo(3 * CHUNK);
        }
        assertThat(bytes).hasSize(3);
        assertThat(bytes.values()).allSatisfy(n -> assertThat(n).isBetween(28L * CHUNK, 32L * CHUNK));
    }

    @Test
    void aWriterThatGivesUpLeavesTheQueueAndTheNextGetsTheCredit() throws Exception {
        start();
        HtxStream first = sender.openStream(T);
        HtxStream second = sender.openStream(T);
        grant(first.id(), 1 << 20);
        grant(second.id(), 1 << 20);
        // Use up the connection window, then queue `first` (short timeout) ahead of `second`.
        first.setWriteTimeout(T);
        first.outputStream().write(new byte[HtxLimits.INITIAL_WINDOW]);
        first.setWriteTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> first.outputStream().write(new byte[CHUNK])).isInstanceOf(SocketTimeoutException.class);
        second.setWriteTimeout(T);
        Future<?> w = pool.submit(() -> {
            second.outputStream().write(new byte[CHUNK]);
            return null;
        });
        long drained = 0;
        while (drained < HtxLimits.INITIAL_WINDOW) {
            drained += nextData().data().length;
        }
        grant(0, CHUNK);
        Frame.StreamData d = nextData();
        assertThat(d.streamId()).isEqualTo(second.id());
        assertThat(d.data()).hasSize(CHUNK);
        w.get(20, TimeUnit.SECONDS);
    }
}
