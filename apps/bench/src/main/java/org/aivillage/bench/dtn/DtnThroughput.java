package org.aivillage.bench.dtn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.dtn.DtnNode;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.NodeConfig;
import org.aivillage.dtn.SendRequest;
import org.aivillage.dtn.TcpclOptions;
import org.aivillage.dtn.internal.BundleStore;

/**
 * Load driver: (1) raw insert rate of the durable bundle store (1 KiB bundles, concurrent writers,
 * group commit) and (2) store-and-forward of 1 KiB bundles between two nodes over TCPCLv4 on
 * loopback with durable stores on both ends: the sender's application calls {@code sendBundle}
 * (durable before it returns) from many virtual threads; the receiver's endpoint handler consumes
 * each bundle (removed from its store and remembered as delivered). The rate is bundles delivered
 * to the receiving application per second, end to end.
 *
 * <p>Usage: {@code DtnThroughput [bundles=50000] [senders=256] [fsync=true|false|both]}
 */
public final class DtnThroughput {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        String fsync = args.length > 2 ? args[2] : "both";
        List<Boolean> modes = fsync.equals("both") ? List.of(true, false) : List.of(Boolean.parseBoolean(fsync));
        System.out.printf("DTN throughput: %d bundles of 1 KiB, %d concurrent senders, %d cores%n", n, senders,
                Runtime.getRuntime().availableProcessors());
        for (boolean full : modes) {
            String mode = full ? "synchronous=FULL" : "synchronous=NORMAL";
            double raw = rawInsert(n, senders, full);
            System.out.printf("  store raw insert (%s): %,.0f bundles/s%n", mode, raw);
            double ingest = ingestOnly(n, senders, full);
            System.out.printf("  sendBundle into the store, no neighbour (%s): %,.0f bundles/s%n", mode, ingest);
            double e2e = storeAndForward(n, senders, full);
            System.out.printf("  TCPCLv4 store-and-forward a->b (%s): %,.0f bundles/s (%.0f us of CPU per bundle, both nodes)%n",
                    mode, e2e, lastCpuMicrosPerBundle);
        }
    }

    static double rawInsert(int n, int senders, boolean full) throws Exception {
        Path dir = Files.createTempDirectory("dtn-bench-store");
        try (BundleStore store = new BundleStore(dir.resolve("bundles.db"), 64L << 30, full)) {
            byte[] data = new byte[1024];
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < senders; s++) {
                    ex.execute(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < n) {
                            try {
                                store.insert(new BundleStore.Entry("dtn://bench/|" + i + "|0", "dtn://b/x", 1,
                                        Long.MAX_VALUE, data.length, BundleStore.STATE_FORWARD, 1, i), data, 0, null);
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        }
                    });
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            return n / secs;
        } finally {
            deleteTree(dir);
        }
    }

    static double ingestOnly(int n, int senders, boolean full) throws Exception {
        Path dir = Files.createTempDirectory("dtn-bench-ingest");
        NodeConfig ac = NodeConfig.builder(EndpointId.parse("dtn://a/"), dir.resolve("a")).tcpclPort(-1)
                .fsyncEveryCommit(full).maxStorageBytes(16L << 30).build();
        try (DtnNode a = new DtnNode(ac)) {
            a.start();
            EndpointId sink = EndpointId.parse("dtn://b/sink");
            byte[] payload = new byte[1024];
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            long cpu0 = processCpuNanos();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < senders; s++) {
                    ex.execute(() -> {
                        while (next.getAndIncrement() < n) {
                            try {
                                a.sendBundle(SendRequest.to(sink, payload));
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        }
                    });
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            deleteTree(dir);
        }
    }

    static double lastCpuMicrosPerBundle;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double storeAndForward(int n, int senders, boolean full) throws Exception {
        Path dir = Files.createTempDirectory("dtn-bench-node");
        TcpclOptions tcpcl = TcpclOptions.defaults().withKeepalive(Duration.ofSeconds(30));
        NodeConfig bc = NodeConfig.builder(EndpointId.parse("dtn://b/"), dir.resolve("b")).tcpclPort(0)
                .fsyncEveryCommit(full).maxStorageBytes(16L << 30).tcpcl(tcpcl).build();
        NodeConfig ac = NodeConfig.builder(EndpointId.parse("dtn://a/"), dir.resolve("a")).tcpclPort(-1)
                .fsyncEveryCommit(full).maxStorageBytes(16L << 30).tcpcl(tcpcl).build();
        try (DtnNode b = new DtnNode(bc); DtnNode a = new DtnNode(ac)) {
            b.start();
            a.start();
            CountDownLatch done = new CountDownLatch(n);
            AtomicLong delivered = new AtomicLong();
            EndpointId sink = EndpointId.parse("dtn://b/sink");
            b.register(sink, r -> {
                delivered.incrementAndGet();
                done.countDown();
            });
            a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
            byte[] payload = new byte[1024];
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            long cpu0 = processCpuNanos();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < senders; s++) {
                    ex.execute(() -> {
                        while (next.getAndIncrement() < n) {
                            try {
                                a.sendBundle(SendRequest.to(sink, payload));
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        }
                    });
                }
                ex.shutdown();
                ex.awaitTermination(600, TimeUnit.SECONDS);
                double ingest = (System.nanoTime() - start) / 1e9;
                System.out.printf("    (sender application accepted all %d in %.2f s: %,.0f bundles/s durable at a;"
                        + " %d delivered by then)%n", n, ingest, n / ingest, delivered.get());
                if (!done.await(600, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + delivered.get() + " of " + n + " delivered in 600 s");
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            lastCpuMicrosPerBundle = (processCpuNanos() - cpu0) / 1e3 / n;
            return n / secs;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(s.toList());
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
