package org.aivillage.bench.htx;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.KeyAgreement;

/**
 * Connection setups per second, one at a time, client and server in this JVM, in alternating
 * rounds (plain JDK TLS 1.3; HTX = TLS + ticket + Noise XK; HTX hybrid = XKhfs with ML-KEM-768),
 * with the process CPU time per setup (both ends), which does not depend on background load.
 *
 * <pre>java -cp apps/bench/target/benchmarks.jar org.aivillage.bench.htx.HtxHandshakeDriver [rounds=6] [seconds=2]</pre>
 */
public final class HtxHandshakeDriver {
    private HtxHandshakeDriver() {}

    interface Setup {
        void once() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        try (BenchRig rig = new BenchRig(HtxLimits.DEFAULT, KeyAgreement.X25519, HtxConnection::close)) {
            SSLServerSocket tlsServer = (SSLServerSocket) rig.serverTls.getServerSocketFactory().createServerSocket(0, 512, InetAddress.getLoopbackAddress());
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
            Map<String, Setup> setups = new LinkedHashMap<>();
            setups.put("tls", () -> {
                Socket tcp = new Socket();
                tcp.setTcpNoDelay(true);
                tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsServer.getLocalPort()));
                try (SSLSocket c = (SSLSocket) rig.clientContext.getSocketFactory().createSocket(tcp, "localhost", tlsServer.getLocalPort(), true)) {
                    SSLParameters p = c.getSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3"});
                    p.setServerNames(List.of(new SNIHostName("localhost")));
                    c.setSSLParameters(p);
                    c.startHandshake();
                }
            });
            setups.put("htx-x25519", () -> rig.connect(HtxLimits.DEFAULT, KeyAgreement.X25519).close());
            setups.put("htx-hybrid", () -> rig.connect(HtxLimits.DEFAULT, KeyAgreement.HYBRID_X25519_MLKEM768).close());
            Map<String, List<Double>> rate = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            for (Map.Entry<String, Setup> e : setups.entrySet()) {
                measure(e.getValue(), 1.0); // warm-up
                rate.put(e.getKey(), new ArrayList<>());
                cpu.put(e.getKey(), new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Setup> e : setups.entrySet()) {
                    double[] m = measure(e.getValue(), seconds);
                    rate.get(e.getKey()).add(m[0]);
                    cpu.get(e.getKey()).add(m[1]);
                }
            }
            System.out.printf("connection setups, %d alternating rounds of %.1f s%n", rounds, seconds);
            double tlsCpu = HtxThroughputDriver.median(cpu.get("tls"));
            for (String k : setups.keySet()) {
                double ms = HtxThroughputDriver.median(cpu.get(k));
                System.out.printf("  %-11s median %7.1f setups/s (min %6.1f, max %6.1f); %6.2f CPU-ms per setup (both ends) -> %6.1f/s per core; CPU ratio to TLS %.2f%n",
                        k, HtxThroughputDriver.median(rate.get(k)), rate.get(k).stream().mapToDouble(d -> d).min().orElse(0),
                        rate.get(k).stream().mapToDouble(d -> d).max().orElse(0), ms, 1000 / ms, tlsCpu / ms);
            }
            tlsServer.close();
        }
        System.exit(0);
    }

    /** {setups per second, CPU ms per setup}. */
    static double[] measure(Setup s, double seconds) throws Exception {
        long cpu0 = HtxThroughputDriver.OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end) {
            s.once();
            n++;
        }
        long t1 = System.nanoTime();
        long cpu1 = HtxThroughputDriver.OS.getProcessCpuTime();
        return new double[] {n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e6 / n};
    }
}
