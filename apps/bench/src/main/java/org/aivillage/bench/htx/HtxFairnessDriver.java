package org.aivillage.bench.htx;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;

/**
 * Many-stream fairness load driver: N streams on ONE HTX connection write as fast as they can for
 * a fixed time; the server counts what each stream delivered. Prints aggregate MiB/s, per-stream
 * min/max and Jain's fairness index (1.0 = perfectly even).
 *
 * <pre>java -cp apps/bench/target/benchmarks.jar org.aivillage.bench.htx.HtxFairnessDriver [streams=32] [seconds=10] [writeKiB=64]</pre>
 */
public final class HtxFairnessDriver {
    private HtxFairnessDriver() {}

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int writeKib = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Map<Long, AtomicLong> received = new ConcurrentHashMap<>();
        HtxLimits limits = HtxLimits.DEFAULT;
        BenchRig[] holder = new BenchRig[1];
        holder[0] = new BenchRig(limits, KeyAgreement.X25519, c -> holder[0].serveStreams(c, s -> {
            AtomicLong counter = received.computeIfAbsent(s.id(), k -> new AtomicLong());
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = s.inputStream().read(buf)) >= 0) {
                    counter.addAndGet(n);
                }
            } catch (java.io.IOException e) {
                // connection closed at the end of the run
            }
        }));
        try (BenchRig rig = holder[0]; HtxConnection c = rig.connect(limits, KeyAgreement.X25519)) {
            byte[] chunk = Randomness.bytes(writeKib * 1024);
            AtomicBoolean run = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                HtxStream s = c.openStream(Duration.ofSeconds(10));
                writers.add(rig.pool.submit(() -> {
                    OutputStream out = s.outputStream();
                    while (run.get()) {
                        out.write(chunk);
                    }
                    return null;
                }));
            }
            Thread.sleep(1000); // warm-up
            Map<Long, Long> start = snapshot(received);
            long cpu0 = HtxThroughputDriver.OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Map<Long, Long> end = snapshot(received);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long cpu1 = HtxThroughputDriver.OS.getProcessCpuTime();
            run.set(false);
            List<Double> rates = new ArrayList<>();
            for (Map.Entry<Long, Long> e : end.entrySet()) {
                rates.add((e.getValue() - start.getOrDefault(e.getKey(), 0L)) / elapsed / (1 << 20));
            }
            double sum = rates.stream().mapToDouble(Double::doubleValue).sum();
            double sumSq = rates.stream().mapToDouble(r -> r * r).sum();
            double jain = sum * sum / (rates.size() * sumSq);
            System.out.printf("HTX fairness: %d streams on one connection, %d s, %d KiB writes (stream window %d, connection window %d)%n",
                    streams, seconds, writeKib, limits.streamWindow(), limits.connectionWindow());
            System.out.printf("  aggregate %.1f MiB/s; per stream min %.2f, max %.2f, mean %.2f MiB/s; Jain index %.4f%n",
                    sum, rates.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    rates.stream().mapToDouble(Double::doubleValue).max().orElse(0), sum / rates.size(), jain);
            System.out.printf("  %.2f CPU-ms per MiB delivered (both ends)%n", (cpu1 - cpu0) / 1e6 / (sum * elapsed));
        }
    }

    private static Map<Long, Long> snapshot(Map<Long, AtomicLong> m) {
        Map<Long, Long> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
