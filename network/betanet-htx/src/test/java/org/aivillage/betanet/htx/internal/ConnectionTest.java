package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxException;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection engine on real loopback TCP with fixed keys (the handshake is tested elsewhere). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionTest {
    static final Duration T = Duration.ofSeconds(20);
    final List<AutoCloseable> cleanup = new ArrayList<>();
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        pool.shutdownNow();
    }

    record Pair(Connection client, Connection server) {}

    record Keys(byte[] c2s, byte[] s2c, byte[] h) {
        static Keys random() {
            return new Keys(Randomness.bytes(32), Randomness.bytes(32), Randomness.bytes(32));
        }
    }

    Socket[] sockets() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            Socket s = ss.accept();
            cleanup.add(c);
            cleanup.add(s);
            return new Socket[] {c, s};
        }
    }

    static FrameTransport transport(Socket s) throws IOException {
        return new StreamTransport(s.getInputStream(), s.getOutputStream(), s.getRemoteSocketAddress(), s);
    }

    Pair pair(HtxLimits limits, RekeyPolicy rekey, BehaviourPolicy behaviour) throws IOException {
        return pair(limits, rekey, behaviour, ConnectionTest::transport);
    }

    interface TransportFactory {
        FrameTransport of(Socket s) throws IOException;
    }

    Pair pair(HtxLimits limits, RekeyPolicy rekey, BehaviourPolicy behaviour, TransportFactory serverTransport) throws IOException {
        Socket[] s = sockets();
        Keys k = Keys.random();
        Connection.PeerSettings peer = new Connection.PeerSettings(limits.maxStreams(), limits.maxFrameLength());
        Connection client = Connection.start(Connection.Role.CLIENT, transport(s[0]), new FrameSealer(k.c2s().clone(), k.h(), rekey, System::nanoTime),
                new FrameOpener(k.s2c().clone(), k.h()), limits, peer, KeyAgreement.X25519, behaviour, HtxMetrics.of(new SimpleMeterRegistry(), "client"));
        Connection server = Connection.start(Connection.Role.SERVER, serverTransport.of(s[1]), new FrameSealer(k.s2c().clone(), k.h(), rekey, System::nanoTime),
                new FrameOpener(k.c2s().clone(), k.h()), limits, peer, KeyAgreement.X25519, behaviour, HtxMetrics.of(new SimpleMeterRegistry(), "server"));
        cleanup.add(client);
        cleanup.add(server);
        return new Pair(client, server);
    }

    Pair pair() throws IOException {
        return pair(HtxLimits.DEFAULT, RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED);
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Echo every stream the connection accepts. */
    void echo(HtxConnection c) {
        pool.submit(() -> {
            HtxStream s;
            while ((s = c.acceptStream(Duration.ofMinutes(5))) != null) {
                HtxStream st = s;
                pool.submit(() -> {
                    try (st) {
                        st.inputStream().transferTo(st.outputStream());
                        st.shutdownOutput();
                    }
                    return null;
                });
            }
            return null;
        });
    }

    /** Writes {@code data} on a new stream, half-closes, reads everything back. */
    static byte[] roundTrip(HtxConnection c, byte[] data) throws Exception {
        try (HtxStream s = c.openStream(T)) {
            s.setReadTimeout(T);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.outputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.inputStream().readAllBytes();
            writer.join();
            return back;
        }
    }

    @Test
    void manyStreamsInBothDirectionsWithChecksums() throws Exception {
        Pair p = pair();
        echo(p.server());
        echo(p.client());
        List<Future<Boolean>> results = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[1 + r.nextInt(300_000)];
            r.nextBytes(data);
            HtxConnection from = i % 2 == 0 ? p.client() : p.server();
            results.add(pool.submit(() -> java.util.Arrays.equals(sha256(roundTrip(from, data)), sha256(data))));
        }
        for (Future<Boolean> f : results) {
            assertThat(f.get(40, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.client().stats().streamsOpened()).isEqualTo(20);
        assertThat(p.client().stats().streamsAccepted()).isEqualTo(20);
        assertThat(p.server().stats().streamsAccepted()).isEqualTo(20);
    }

    @Test
    void streamIdsAreOddForClientAndEvenForServer() throws Exception {
        Pair p = pair();
        assertThat(p.client().openStream(T).id()).isEqualTo(1);
        assertThat(p.client().openStream(T).id()).isEqualTo(3);
        assertThat(p.server().openStream(T).id()).isEqualTo(2);
        assertThat(p.server().openStream(T).id()).isEqualTo(4);
    }

    @Test
    void thousandsOfForcedRekeysDuringALargeTransfer() throws Exception {
        // One-record frames, so 24 MiB is enough frames for thousands of frame-count rekeys.
        Pair p = pair(HtxLimits.ONE_RECORD_FRAMES, new RekeyPolicy(1L << 40, 3, Duration.ofHours(1)), BehaviourPolicy.DISABLED);
        echo(p.server());
        byte[] data = Randomness.bytes(24 << 20);
        byte[] back = roundTrip(p.client(), data);
        assertThat(sha256(back)).isEqualTo(sha256(data));
        long clientRekeys = p.client().stats().rekeysSent();
        long serverRekeys = p.server().stats().rekeysSent();
        assertThat(clientRekeys).isGreaterThan(700);
        assertThat(serverRekeys).isGreaterThan(700);
        assertThat(clientRekeys + serverRekeys).isGreaterThan(1500);
        assertThat(p.server().stats().rekeysReceived()).isEqualTo(clientRekeys);
        assertThat(p.client().stats().rekeysReceived()).isEqualTo(serverRekeys);
    }

    @Test
    void byteThresholdRekeysToo() throws Exception {
        Pair p = pair(HtxLimits.ONE_RECORD_FRAMES, new RekeyPolicy(64 * 1024, 1 << 16, Duration.ofHours(1)), BehaviourPolicy.DISABLED);
        echo(p.server());
        byte[] data = Randomness.bytes(8 << 20);
        assertThat(roundTrip(p.client(), data)).isEqualTo(data);
        assertThat(p.client().stats().rekeysSent()).isBetween(100L, 140L);
    }

    @Test
    void largerConfiguredWindowsAreGrantedAfterTheSpecInitialWindow() throws Exception {
        Pair p = pair(HtxLimits.DEFAULT.withWindows(1 << 20, 4 << 20), RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED);
        HtxStream c = p.client().openStream(T);
        c.setWriteTimeout(Duration.ofMillis(500));
        // The first 65,535 bytes need no grant; the rest only flows because the receiver granted
        // the extra window right after the stream's first frame, without the application reading.
        c.outputStream().write(new byte[HtxLimits.INITIAL_WINDOW]);
        c.outputStream().write(new byte[(1 << 20) - HtxLimits.INITIAL_WINDOW]);
        assertThatThrownBy(() -> c.outputStream().write(new byte[1])).isInstanceOf(SocketTimeoutException.class);
        assertThat(p.client().stats().bytesSent()).isEqualTo(1 << 20);
    }

    @Test
    void defaultWindowsAreChromesAndBoundWhatThePeerMayBuffer() throws Exception {
        // Chrome's HTTP/2 receive windows: SETTINGS_INITIAL_WINDOW_SIZE 6,291,456 per stream and a
        // connection window raised to 15,728,640.
        assertThat(HtxLimits.DEFAULT.streamWindow()).isEqualTo(6_291_456);
        assertThat(HtxLimits.DEFAULT.connectionWindow()).isEqualTo(15_728_640);
        Pair p = pair();
        HtxStream a = p.client().openStream(T);
        HtxStream b = p.client().openStream(T);
        HtxStream c = p.client().openStream(T);
        for (HtxStream s : List.of(a, b, c)) {
            s.setWriteTimeout(Duration.ofMillis(500));
        }
        // Nobody reads on the server: each stream may fill its 6 MiB, the connection 15 MiB in all.
        a.outputStream().write(new byte[6 << 20]);
        assertThatThrownBy(() -> a.outputStream().write(new byte[1])).isInstanceOf(SocketTimeoutException.class);
        b.outputStream().write(new byte[6 << 20]);
        c.outputStream().write(new byte[3 << 20]);
        assertThatThrownBy(() -> c.outputStream().write(new byte[1])).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("flow-control credit");
        assertThat(p.client().stats().bytesSent()).isEqualTo(15L << 20);
        // The connection's credit comes back once half of its window (7.5 MiB) has been read.
        HtxStream sa = p.server().acceptStream(T);
        HtxStream sb = p.server().acceptStream(T);
        sa.setReadTimeout(T);
        sb.setReadTimeout(T);
        assertThat(sa.inputStream().readNBytes(6 << 20)).hasSize(6 << 20);
        assertThatThrownBy(() -> c.outputStream().write(new byte[1])).isInstanceOf(SocketTimeoutException.class);
        assertThat(sb.inputStream().readNBytes(2 << 20)).hasSize(2 << 20);
        c.setWriteTimeout(T);
        c.outputStream().write(new byte[1 << 20]);
        assertThat(p.client().stats().bytesSent()).isEqualTo(16L << 20);
    }

    @Test
    void halfCloseLetsTheOtherDirectionContinue() throws Exception {
        Pair p = pair();
        HtxStream c = p.client().openStream(T);
        c.outputStream().write("question".getBytes());
        c.shutdownOutput();
        assertThatThrownBy(() -> c.outputStream().write(1)).isInstanceOf(HtxException.class).hasMessageContaining("shut down");
        HtxStream s = p.server().acceptStream(T);
        s.setReadTimeout(T);
        assertThat(new String(s.inputStream().readAllBytes())).isEqualTo("question");
        assertThat(s.inputStream().read()).isEqualTo(-1);
        s.outputStream().write("answer after the client's FIN".getBytes());
        s.shutdownOutput();
        c.setReadTimeout(T);
        assertThat(new String(c.inputStream().readAllBytes())).isEqualTo("answer after the client's FIN");
    }

    @Test
    void flowControlStopsTheSenderAtTheWindowUntilTheReaderConsumes() throws Exception {
        Pair p = pair(HtxLimits.SPEC_WINDOWS, RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED);
        HtxStream c = p.client().openStream(T);
        c.setWriteTimeout(Duration.ofMillis(500));
        byte[] chunk = new byte[100_000];
        assertThatThrownBy(() -> c.outputStream().write(chunk)).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("flow-control credit");
        assertThat(p.client().stats().bytesSent()).isEqualTo(HtxLimits.INITIAL_WINDOW);
        HtxStream s = p.server().acceptStream(T);
        s.setReadTimeout(T);
        byte[] got = s.inputStream().readNBytes(HtxLimits.INITIAL_WINDOW);
        assertThat(got).hasSize(HtxLimits.INITIAL_WINDOW);
        c.setWriteTimeout(T);
        c.outputStream().write(new byte[1000]); // credit came back once half was read
        assertThat(s.inputStream().readNBytes(1000)).hasSize(1000);
    }

    @Test
    void openStreamWaitsForThePeersStreamLimit() throws Exception {
        Pair p = pair(HtxLimits.DEFAULT.withMaxStreams(2), RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED);
        HtxStream a = p.client().openStream(T);
        p.client().openStream(T);
        assertThatThrownBy(() -> p.client().openStream(Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class);
        a.outputStream().write(1);
        a.shutdownOutput();
        HtxStream sa = p.server().acceptStream(T);
        sa.shutdownOutput();
        // Both FINs exchanged: the slot frees once the client has read the server's FIN.
        a.setReadTimeout(T);
        assertThat(a.inputStream().read()).isEqualTo(-1);
        assertThat(p.client().openStream(T).id()).isEqualTo(5);
    }

    @Test
    void pingMeasuresARoundTrip() throws Exception {
        Pair p = pair();
        assertThat(p.client().ping(T)).isPositive();
        assertThat(p.server().ping(T)).isPositive();
    }

    @Test
    void closeEndsStreamsAndAcceptWithTheReason() throws Exception {
        Pair p = pair();
        HtxStream c = p.client().openStream(T);
        c.outputStream().write(1);
        HtxStream s = p.server().acceptStream(T);
        assertThat(s.inputStream().read()).isEqualTo(1);
        p.client().close();
        assertThat(p.server().awaitClosed(T)).isTrue();
        assertThat(p.server().closeReason()).isEqualTo("closed by peer");
        assertThat(p.server().acceptStream(T)).isNull();
        assertThatThrownBy(() -> s.inputStream().read()).isInstanceOf(HtxException.class).hasMessageContaining("closed by peer");
        assertThatThrownBy(() -> p.client().openStream(T)).isInstanceOf(HtxException.class);
    }

    @Test
    void behaviourEmulationSendsPaddingAfterIdleAndPings() throws Exception {
        BehaviourPolicy fast = BehaviourPolicy.DEFAULT.withPing(Duration.ofMillis(50), Duration.ofMillis(80))
                .withIdle(Duration.ofMillis(20), Duration.ofMillis(40)).withPriorityRate(1.0);
        Pair p = pair(HtxLimits.DEFAULT, RekeyPolicy.DEFAULT, fast);
        HtxStream c = p.client().openStream(T);
        c.outputStream().write(new byte[10]);
        long deadline = System.nanoTime() + T.toNanos();
        while (p.server().stats().paddingFramesReceived() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(5);
        }
        // One PRIORITY (rate 1.0) after the first DATA, then padding once the connection idles.
        assertThat(p.server().stats().paddingFramesReceived()).isGreaterThanOrEqualTo(2);
        while (p.client().stats().emulationFramesSent() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.client().stats().emulationFramesSent()).isGreaterThanOrEqualTo(4); // PINGs keep coming
    }
    @Test
    void smallMessagesArriveAtOnceDespiteBatchedWakeUps() throws Exception {
        // Wake-ups of stream readers are deferred while more input is certain; a lone small frame
        // must still be delivered at once (request/response would otherwise stall).
        Pair p = pair();
        HtxStream c = p.client().openStream(T);
        c.outputStream().write(1);
        HtxStream s = p.server().acceptStream(T);
        s.setReadTimeout(T);
        c.setReadTimeout(T);
        assertThat(s.inputStream().read()).isEqualTo(1);
        for (int i = 0; i < 200; i++) {
            byte[] msg = ("request " + i).getBytes();
            c.outputStream().write(msg);
            assertThat(s.inputStream().readNBytes(msg.length)).isEqualTo(msg);
            s.outputStream().write(("reply " + i).getBytes());
            assertThat(new String(c.inputStream().readNBytes(("reply " + i).length()))).isEqualTo("reply " + i);
        }
    }

    @Test
    void deferredWakeUpsAreBoundedEvenWhenMoreInputIsAlwaysWaiting() throws Exception {
        // A probe that always reports more input: the reader never reaches a "may wait" point while
        // another stream floods, yet a small message for a waiting reader is delivered within a few frames.
        Pair p = pair(HtxLimits.DEFAULT, RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED,
                sock -> new StreamTransport(sock.getInputStream(), sock.getOutputStream(), sock.getRemoteSocketAddress(), sock, () -> 1));
        HtxStream quiet = p.client().openStream(T);
        quiet.outputStream().write(0);
        HtxStream q = p.server().acceptStream(T);
        q.setReadTimeout(T);
        assertThat(q.inputStream().read()).isZero();
        HtxStream flood = p.client().openStream(T);
        java.util.concurrent.atomic.AtomicBoolean run = new java.util.concurrent.atomic.AtomicBoolean(true);
        byte[] chunk = new byte[64 * 1024];
        Future<?> writer = pool.submit(() -> {
            while (run.get()) {
                flood.outputStream().write(chunk);
            }
            return null;
        });
        HtxStream f = p.server().acceptStream(T);
        f.setReadTimeout(T);
        assertThat(f.inputStream().readNBytes(chunk.length)).hasSize(chunk.length); // the flood is on
        Future<?> drain = pool.submit(() -> {
            byte[] buf = new byte[64 * 1024];
            while (run.get() && f.inputStream().read(buf) >= 0) {
                // keep the flood going
            }
            return null;
        });
        q.setReadTimeout(null); // its expiry would also hand over buffered data
        for (String msg : List.of("hello", "again")) {
            java.util.concurrent.CompletableFuture<String> got = new java.util.concurrent.CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    got.complete(new String(q.inputStream().readNBytes(msg.length())));
                } catch (IOException e) {
                    got.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + T.toNanos();
            while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1); // until the reader waits for data
            }
            quiet.outputStream().write(msg.getBytes());
            // Without the bound this would wait for as long as the flood lasts.
            assertThat(got.get(T.toSeconds(), TimeUnit.SECONDS)).isEqualTo(msg);
        }
        run.set(false);
        p.client().close();
        writer.cancel(true);
        drain.cancel(true);
    }

    @Test
    void dataBufferedBeforeThePeerClosesIsStillReadThenTheCloseIsReported() throws Exception {
        Pair p = pair();
        HtxStream c = p.client().openStream(T);
        c.outputStream().write("last words".getBytes());
        HtxStream s = p.server().acceptStream(T);
        s.setReadTimeout(T);
        assertThat(new String(s.inputStream().readNBytes(4))).isEqualTo("last");
        p.client().close();
        assertThat(p.server().awaitClosed(T)).isTrue();
        assertThat(new String(s.inputStream().readNBytes(6))).isEqualTo(" words");
        assertThatThrownBy(() -> s.inputStream().read()).isInstanceOf(HtxException.class).hasMessageContaining("closed by peer");
    }

    @Test
    void windowUpdatesFromReadingThreadsKeepBidirectionalBulkMovingAtSpecWindows() throws Exception {
        // Both directions busy: a reading thread often finds the socket taken by a writer and hands
        // its WINDOW_UPDATE to the control thread instead; every byte still arrives, in order.
        Pair p = pair(HtxLimits.SPEC_WINDOWS, RekeyPolicy.DEFAULT, BehaviourPolicy.DISABLED);
        echo(p.server());
        byte[] data = new byte[3_000_000];
        new Random(7).nextBytes(data);
        assertThat(sha256(roundTrip(p.client(), data))).isEqualTo(sha256(data));
    }

    @Test
    void tlsProbeNeedsDecryptedBytesOrAWholeRecordInTheSocket() throws Exception {
        FrameTransport.ReadyProbe none = FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.ByteArrayInputStream(new byte[FrameTransport.MAX_TLS_RECORD - 1]));
        assertThat(none.inputReady()).isFalse();
        FrameTransport.ReadyProbe record = FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.ByteArrayInputStream(new byte[FrameTransport.MAX_TLS_RECORD]));
        assertThat(record.inputReady()).isTrue();
        FrameTransport.ReadyProbe decrypted = FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[1]),
                new java.io.ByteArrayInputStream(new byte[0]));
        assertThat(decrypted.inputReady()).isTrue();
    }

    @Test
    void tlsProbeCountsOneReadPerWholeRecordAndOneForDecryptedBytes() throws Exception {
        int max = FrameTransport.MAX_TLS_RECORD;
        assertThat(FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.ByteArrayInputStream(new byte[3 * max + max - 1])).readyReads()).isEqualTo(3);
        assertThat(FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[5]),
                new java.io.ByteArrayInputStream(new byte[2 * max])).readyReads()).isEqualTo(3);
        assertThat(FrameTransport.tlsProbe(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.ByteArrayInputStream(new byte[max - 1])).readyReads()).isZero();
        // Without a probe, a transport vouches for one read when its input has bytes available.
        StreamTransport plain = new StreamTransport(new java.io.ByteArrayInputStream(new byte[100]), java.io.OutputStream.nullOutputStream(), null, () -> { });
        assertThat(plain.readyReads()).isEqualTo(1);
        assertThat(new StreamTransport(new java.io.ByteArrayInputStream(new byte[0]), java.io.OutputStream.nullOutputStream(), null, () -> { })
                .readyReads()).isZero();
    }
}
