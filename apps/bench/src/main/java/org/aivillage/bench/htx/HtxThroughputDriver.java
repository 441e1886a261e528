package org.aivillage.bench.htx;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;

/**
 * Single-stream bulk throughput, HTX against plain JDK TLS 1.3, measured in alternating short
 * rounds so that both see the same background load on a shared machine; reports the median
 * receiver-side MiB/s per transport and the median of the per-round HTX/TLS ratios.
 *
 * <pre>java -cp apps/bench/target/benchmarks.jar org.aivillage.bench.htx.HtxThroughputDriver [rounds=8] [seconds=2] [transports=regex]</pre>
 *
 * <p>The optional third argument keeps only the transports whose name matches (for profiling one of
 * them); ratios are printed only when {@code tls} is among them.
 */
public final class HtxThroughputDriver {
    private HtxThroughputDriver() {}

    interface Pipe {
        OutputStream out();

        AtomicLong received();
    }

    record SimplePipe(OutputStream out, AtomicLong received) implements Pipe {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Map<String, Pipe> pipes = new LinkedHashMap<>();
        List<AutoCloseable> close = new ArrayList<>();

        BenchRig tlsRig = new BenchRig(HtxLimits.DEFAULT, KeyAgreement.X25519, c -> { });
        close.add(tlsRig);
        pipes.put("tls", plainTls(tlsRig, close));
        pipes.put("htx-default", htx(HtxLimits.DEFAULT, close)); // Chrome's windows: 6 MiB per stream, 15 MiB per connection (1 MiB / 16 MiB before 27 Nov 18:00)
        pipes.put("htx-1m", htx(HtxLimits.DEFAULT.withWindows(1 << 20, 64 << 20), close));
        pipes.put("htx-1m-64k", htx(HtxLimits.DEFAULT.withWindows(1 << 20, 64 << 20).withFrames(65_535, 4 * 16_384 - 28), close));
        pipes.put("htx-8m", htx(HtxLimits.DEFAULT.withWindows(8 << 20, 64 << 20), close));

        if (args.length > 2) {
            java.util.regex.Pattern keep = java.util.regex.Pattern.compile(args[2]);
            pipes.keySet().removeIf(k -> !keep.matcher(k).matches());
        }
        byte[] chunk = Randomness.bytes(1 << 20);
        Map<String, List<Double>> results = new LinkedHashMap<>();
        pipes.keySet().forEach(k -> results.put(k, new ArrayList<>()));
        for (String k : pipes.keySet()) {
            run(null, pipes.get(k), chunk, 5.0); // warm-up (until C2 has compiled the hot paths)
        }
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Pipe> e : pipes.entrySet()) {
                results.get(e.getKey()).add(run(e.getKey(), e.getValue(), chunk, seconds));
            }
        }
        List<Double> tls = results.get("tls");
        System.out.printf("single-stream throughput, %d alternating rounds of %.1f s, receiver side (MiB/s)%n", rounds, seconds);
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; tls != null && i < rounds; i++) {
                ratios.add(e.getValue().get(i) / tls.get(i));
            }
            System.out.printf("  %-11s median %7.1f  (min %7.1f, max %7.1f)  ratio to TLS median %.2f%n", e.getKey(),
                    median(e.getValue()), e.getValue().stream().mapToDouble(d -> d).min().orElse(0),
                    e.getValue().stream().mapToDouble(d -> d).max().orElse(0), median(ratios));
        }
        System.out.println("CPU cost (process CPU time, both ends, per MiB delivered; load-independent) and what it implies:");
        double tlsCpu = CPU_PER_MIB.containsKey("tls") ? median(CPU_PER_MIB.get("tls")) : Double.NaN;
        for (Map.Entry<String, List<Double>> e : CPU_PER_MIB.entrySet()) {
            double ms = median(e.getValue());
            System.out.printf("  %-11s %6.2f CPU-ms/MiB  -> %7.1f MiB/s per CPU core for send+receive; CPU ratio to TLS %.2f (%.0f MiB measured)%n",
                    e.getKey(), ms, 1000 / ms, tlsCpu / ms, MIB_TOTAL.get(e.getKey()));
        }
        for (AutoCloseable c : close.reversed()) {
            c.close();
        }
        System.exit(0);
    }

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    static final Map<String, List<Double>> CPU_PER_MIB = new LinkedHashMap<>();
    static final Map<String, Double> MIB_TOTAL = new LinkedHashMap<>();

    /** Wall-clock MiB/s at the receiver; also records process CPU ms per MiB (sender + receiver + JVM). */
    static double run(String name, Pipe p, byte[] chunk, double seconds) throws Exception {
        long before = p.received().get();
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            p.out().write(chunk);
        }
        long t1 = System.nanoTime();
        long cpu1 = OS.getProcessCpuTime();
        double mib = (p.received().get() - before) / (double) (1 << 20);
        if (name != null) {
            CPU_PER_MIB.computeIfAbsent(name, k -> new ArrayList<>()).add((cpu1 - cpu0) / 1e6 / mib);
            MIB_TOTAL.merge(name, mib, Double::sum);
        }
        return mib / ((t1 - t0) / 1e9);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static Pipe htx(HtxLimits limits, List<AutoCloseable> close) throws Exception {
        AtomicLong received = new AtomicLong();
        BenchRig[] holder = new BenchRig[1];
        holder[0] = new BenchRig(limits, KeyAgreement.X25519, c -> holder[0].serveStreams(c, s -> count(s.inputStream(), received)));
        close.add(holder[0]);
        HtxConnection c = holder[0].connect(limits, KeyAgreement.X25519);
        close.add(c);
        HtxStream s = c.openStream();
        return new SimplePipe(s.outputStream(), received);
    }

    static Pipe plainTls(BenchRig rig, List<AutoCloseable> close) throws Exception {
        AtomicLong received = new AtomicLong();
        SSLServerSocket server = (SSLServerSocket) rig.serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        close.add(server);
        rig.pool.submit(() -> {
            SSLSocket s = (SSLSocket) server.accept();
            s.setTcpNoDelay(true);
            count(s.getInputStream(), received);
            return null;
        });
        SSLSocket c = BenchRig.tls13Client(rig.clientContext, server.getLocalPort());
        close.add(c);
        return new SimplePipe(c.getOutputStream(), received);
    }

    static void count(InputStream in, AtomicLong received) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.addAndGet(n);
            }
        } catch (java.io.IOException e) {
            // closed at the end
        }
    }
}
