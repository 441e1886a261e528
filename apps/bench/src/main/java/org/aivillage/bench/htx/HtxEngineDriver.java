package org.aivillage.bench.htx;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.aivillage.betanet.htx.internal.Connection;
import org.aivillage.betanet.htx.internal.FrameOpener;
import org.aivillage.betanet.htx.internal.FrameSealer;
import org.aivillage.betanet.htx.internal.HtxMetrics;
import org.aivillage.betanet.htx.internal.StreamTransport;

/**
 * The HTX frame engine alone: one stream over plain loopback TCP (no outer TLS, fixed keys, no
 * handshake) against plain TCP, in alternating rounds like {@link HtxThroughputDriver}. The CPU
 * per MiB it reports minus plain TCP's is what the engine (framing, ChaCha20-Poly1305, flow
 * control, hand-over between threads) costs on top of any transport; comparing frame sizes shows
 * the per-frame part.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.htx.HtxEngineDriver [rounds=6] [seconds=2] [transports=regex]</pre>
 */
public final class HtxEngineDriver {
    private HtxEngineDriver() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Pattern keep = Pattern.compile(args.length > 2 ? args[2] : ".*");
        List<AutoCloseable> close = new ArrayList<>();
        Map<String, HtxThroughputDriver.Pipe> pipes = new LinkedHashMap<>();
        pipes.put("tcp", tcp(close));
        HtxLimits oneMiB = HtxLimits.DEFAULT.withWindows(1 << 20, 64 << 20);
        pipes.put("engine-16k", engine(oneMiB, close));
        pipes.put("engine-64k", engine(oneMiB.withFrames(65_535, 4 * 16_384 - 28), close));
        pipes.keySet().removeIf(k -> !keep.matcher(k).matches());

        byte[] chunk = Randomness.bytes(1 << 20);
        Map<String, List<Double>> mibs = new LinkedHashMap<>();
        for (String k : pipes.keySet()) {
            HtxThroughputDriver.run(null, pipes.get(k), chunk, 1.0);
            mibs.put(k, new ArrayList<>());
        }
        HtxThroughputDriver.CPU_PER_MIB.clear();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, HtxThroughputDriver.Pipe> e : pipes.entrySet()) {
                mibs.get(e.getKey()).add(HtxThroughputDriver.run(e.getKey(), e.getValue(), chunk, seconds));
            }
        }
        System.out.printf("HTX engine over plain TCP, %d alternating rounds of %.1f s (MiB/s at the receiver; process CPU per MiB, both ends)%n",
                rounds, seconds);
        for (String k : pipes.keySet()) {
            System.out.printf("  %-11s median %7.1f MiB/s   %6.3f CPU-ms/MiB (min %6.3f)%n", k, HtxThroughputDriver.median(mibs.get(k)),
                    HtxThroughputDriver.median(HtxThroughputDriver.CPU_PER_MIB.get(k)),
                    HtxThroughputDriver.CPU_PER_MIB.get(k).stream().mapToDouble(d -> d).min().orElse(0));
        }
        for (AutoCloseable c : close.reversed()) {
            c.close();
        }
        System.exit(0);
    }

    private static Socket[] sockets(List<AutoCloseable> close) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            Socket s = ss.accept();
            c.setTcpNoDelay(true);
            s.setTcpNoDelay(true);
            close.add(c);
            close.add(s);
            return new Socket[] {c, s};
        }
    }

    private static HtxThroughputDriver.Pipe tcp(List<AutoCloseable> close) throws IOException {
        Socket[] s = sockets(close);
        AtomicLong received = new AtomicLong();
        InputStream in = s[1].getInputStream();
        Thread.ofVirtual().start(() -> HtxThroughputDriver.count(in, received));
        return new HtxThroughputDriver.SimplePipe(s[0].getOutputStream(), received);
    }

    private static HtxThroughputDriver.Pipe engine(HtxLimits limits, List<AutoCloseable> close) throws IOException {
        Socket[] s = sockets(close);
        byte[] c2s = Randomness.bytes(32);
        byte[] s2c = Randomness.bytes(32);
        byte[] h = Randomness.bytes(32);
        Connection.PeerSettings peer = new Connection.PeerSettings(limits.maxStreams(), limits.maxFrameLength());
        Connection client = Connection.start(Connection.Role.CLIENT,
                new StreamTransport(s[0].getInputStream(), s[0].getOutputStream(), s[0].getRemoteSocketAddress(), s[0]),
                new FrameSealer(c2s.clone(), h, RekeyPolicy.DEFAULT, System::nanoTime), new FrameOpener(s2c.clone(), h), limits, peer,
                KeyAgreement.X25519, BehaviourPolicy.DISABLED, HtxMetrics.of(new SimpleMeterRegistry(), "client"));
        Connection server = Connection.start(Connection.Role.SERVER,
                new StreamTransport(s[1].getInputStream(), s[1].getOutputStream(), s[1].getRemoteSocketAddress(), s[1]),
                new FrameSealer(s2c.clone(), h, RekeyPolicy.DEFAULT, System::nanoTime), new FrameOpener(c2s.clone(), h), limits, peer,
                KeyAgreement.X25519, BehaviourPolicy.DISABLED, HtxMetrics.of(new SimpleMeterRegistry(), "server"));
        close.add(client);
        close.add(server);
        HtxStream out = client.openStream(Duration.ofSeconds(5));
        AtomicLong received = new AtomicLong();
        Thread.ofVirtual().start(() -> {
            try {
                HtxStream in = server.acceptStream(Duration.ofSeconds(30));
                if (in != null) { // null: closed before any data (a pipe the transport filter left out)
                    HtxThroughputDriver.count(in.inputStream(), received);
                }
            } catch (IOException e) {
                // closed at the end
            }
        });
        OutputStream o = out.outputStream();
        return new HtxThroughputDriver.SimplePipe(o, received);
    }
}
