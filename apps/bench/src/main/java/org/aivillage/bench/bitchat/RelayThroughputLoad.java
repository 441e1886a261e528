package org.aivillage.bench.bitchat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.aivillage.bitchat.NodeStats;

/**
 * Relay throughput of one BitChat node: packets per second in (frames accepted from a neighbour)
 * and out (rebroadcasts, each reaching {@code degree} neighbours), per second of wall time and per
 * second of thread CPU time (the per-core capacity on a shared machine). Each run feeds
 * {@code packets} distinct frames of one kind through the real router (decode, duplicate filter,
 * timestamp and signature checks, delivery, relay decision, re-encode, transmit) on one thread.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.bitchat.RelayThroughputLoad [packets] [degree] [rounds]</pre>
 */
public final class RelayThroughputLoad {
    private RelayThroughputLoad() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int degree = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "relay throughput: %d packets per run, %d neighbours, %d rounds (last round reported)%n",
                packets, degree, rounds);
        System.out.printf(Locale.ROOT, "%-10s %12s %12s %14s %14s %10s%n", "kind", "in/s wall", "in/s CPU", "out/s CPU",
                "deliveries/s", "us/packet");
        for (RelayHarness.Kind kind : RelayHarness.Kind.values()) {
            double[] last = null;
            for (int round = 0; round < rounds; round++) {
                try (RelayHarness h = new RelayHarness(degree)) {
                    List<byte[]> frames = h.frames(kind == RelayHarness.Kind.DUPLICATE ? RelayHarness.Kind.PRIVATE : kind, packets);
                    if (kind == RelayHarness.Kind.DUPLICATE) {
                        for (byte[] f : frames) {
                            h.inject(f);
                        }
                    }
                    NodeStats before = h.stats();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (byte[] f : frames) {
                        h.inject(f);
                    }
                    long wall = System.nanoTime() - t0;
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                    NodeStats after = h.stats();
                    long relayed = after.packetsRelayed() - before.packetsRelayed();
                    last = new double[] {packets / (wall / 1e9), packets / (cpu / 1e9), relayed / (cpu / 1e9),
                            relayed * (degree + 1) / (cpu / 1e9), cpu / 1e3 / packets};
                }
            }
            System.out.printf(Locale.ROOT, "%-10s %,12.0f %,12.0f %,14.0f %,14.0f %10.1f%n",
                    kind.name().toLowerCase(Locale.ROOT), last[0], last[1], last[2], last[3], last[4]);
        }
    }
}
