package org.aivillage.bench.htx;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bulk throughput of ONE stream on loopback, sender and receiver in this JVM: each operation
 * writes 1 MiB, so ops/s = MiB/s. {@code tls}: plain JDK TLS 1.3 (SSLSocket, default suites).
 * {@code htx-spec}: HTX with the §5.4 windows (65,535 per stream). {@code htx-1m}: HTX with a
 * 1 MiB stream window granted by WINDOW_UPDATE; {@code htx-1m-64k}: the same with 64 KiB frames
 * instead of 16 KiB. HTX = TLS + ChaCha20-Poly1305 frames on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HtxThroughputBench {
    static final int CHUNK = 1 << 20;

    @Param({"tls", "htx-spec", "htx-1m", "htx-1m-64k"})
    public String transport;

    private final byte[] chunk = Randomness.bytes(CHUNK);
    private BenchRig rig;
    private OutputStream out;
    private AutoCloseable client;
    private SSLServerSocket tlsServer;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        HtxLimits limits = switch (transport) {
            case "htx-1m" -> HtxLimits.DEFAULT.withWindows(1 << 20, 64 << 20);
            case "htx-1m-64k" -> HtxLimits.DEFAULT.withWindows(1 << 20, 64 << 20).withFrames(65_535, 4 * 16_384 - 28);
            default -> HtxLimits.DEFAULT;
        };
        rig = new BenchRig(limits, KeyAgreement.X25519, c -> rig.serveStreams(c, s -> BenchRig.drain(s.inputStream())));
        if (transport.equals("tls")) {
            tlsServer = (SSLServerSocket) rig.serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            tlsServer.setEnabledProtocols(new String[] {"TLSv1.3"});
            rig.pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) tlsServer.accept()) {
                    s.setTcpNoDelay(true);
                    BenchRig.drain(s.getInputStream());
                }
                return null;
            });
            out = plainTlsClient(rig, tlsServer.getLocalPort()).getOutputStream();
        } else {
            HtxConnection c = rig.connect(limits, KeyAgreement.X25519);
            HtxStream s = c.openStream();
            out = s.outputStream();
            client = c;
        }
    }

    /** A JDK TLS 1.3 client socket to {@code port}, handshake done. */
    SSLSocket plainTlsClient(BenchRig r, int port) throws IOException {
        SSLSocket c = (SSLSocket) r.clientContext.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters p = c.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setServerNames(List.of(new SNIHostName("localhost")));
        c.setSSLParameters(p);
        c.setTcpNoDelay(true);
        c.startHandshake();
        client = c;
        return c;
    }

    @Benchmark
    public void write1MiB() throws IOException {
        out.write(chunk);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        if (tlsServer != null) {
            tlsServer.close();
        }
        rig.close();
    }
}
