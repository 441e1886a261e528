package org.aivillage.bench.htx;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
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
 * Connection setups per second, client and server in this JVM, one at a time. {@code tls}: TCP +
 * JDK TLS 1.3 handshake (session resumption off: a fresh client context per run is not needed,
 * the JDK client does full handshakes to a server that issues no tickets it can reuse here).
 * {@code htx-x25519} / {@code htx-hybrid}: TCP + TLS 1.3 + the ticket request + Noise XK (XKhfs
 * with ML-KEM-768) + keys; the server accepts the connection and the client closes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HtxHandshakeBench {

    @Param({"tls", "htx-x25519", "htx-hybrid"})
    public String setup;

    private BenchRig rig;
    private SSLServerSocket tlsServer;
    private KeyAgreement agreement;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        agreement = setup.equals("htx-hybrid") ? KeyAgreement.HYBRID_X25519_MLKEM768 : KeyAgreement.X25519;
        rig = new BenchRig(HtxLimits.DEFAULT, KeyAgreement.X25519, HtxConnection::close);
        if (setup.equals("tls")) {
            tlsServer = (SSLServerSocket) rig.serverTls.getServerSocketFactory().createServerSocket(0, 512, InetAddress.getLoopbackAddress());
            tlsServer.setEnabledProtocols(new String[] {"TLSv1.3"});
            rig.pool.submit(() -> {
                while (!tlsServer.isClosed()) {
                    SSLSocket s = (SSLSocket) tlsServer.accept();
                    s.setTcpNoDelay(true);
                    rig.pool.submit(() -> {
                        try (s) {
                            s.startHandshake();
                            s.getInputStream().read();
                        }
                        return null;
                    });
                }
                return null;
            });
        }
    }

    @Benchmark
    public Object handshake() throws Exception {
        if (tlsServer != null) {
            java.net.Socket tcp = new java.net.Socket();
            tcp.setTcpNoDelay(true); // as HTX does: no Nagle delay on the handshake flights
            tcp.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), tlsServer.getLocalPort()));
            try (SSLSocket c = (SSLSocket) rig.clientContext.getSocketFactory().createSocket(tcp, "localhost", tlsServer.getLocalPort(), true)) {
                SSLParameters p = c.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3"});
                p.setServerNames(List.of(new SNIHostName("localhost")));
                c.setSSLParameters(p);
                c.startHandshake();
                return c.getSession().getCipherSuite();
            }
        }
        HtxConnection c = rig.connect(HtxLimits.DEFAULT, agreement);
        c.close();
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (tlsServer != null) {
            tlsServer.close();
        }
        rig.close();
    }
}
