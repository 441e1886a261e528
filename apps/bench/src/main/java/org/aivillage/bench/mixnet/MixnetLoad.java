package org.aivillage.bench.mixnet;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.betanet.client.AnonymityLevel;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.CircuitConfig;
import org.aivillage.betanet.client.ClientConfig;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.Hop;
import org.aivillage.betanet.mixnode.Link;
import org.aivillage.betanet.mixnode.LinkFrame;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.Mixnode;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.Topology;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;

/**
 * Load drivers for docs/benchmarks.md (Mixnet):
 * <ul>
 *   <li>{@code node [packets]}: one mixnode's processing rate. Pre-built 2-hop packets (this node, then the
 *       exit) are blasted over 2 links; the rate is packets the node processed and forwarded per second.
 *       The cost of one X25519 and of one single-threaded Sphinx unwrap are measured in the same run, and
 *       the X25519 again before each of the 8 measured rounds ({@code -Dmixnet.rounds}), whose per-round
 *       ratios (node CPU per packet / that round's X25519) give the median reported.
 *       The first third of the packets warms the JIT up and is not measured; the driver keeps at most
 *       8,192 packets in flight, so the node runs flat out without overflowing its inbound queue. The default
 *       240,000 packets give a measured phase of about 5 s: with 40,000 (2 s) the ramp-up and the final drain
 *       weigh on the rate (20-23k instead of 26-30k packets/s on the 2-core box).</li>
 *   <li>{@code latency [messages]}: 3-hop message + reply round trips with mixing delays set to 0.</li>
 *   <li>{@code throughput [seconds] [concurrency]}: messages per second one client gets through one gateway.</li>
 * </ul>
 */
public final class MixnetLoad {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "node";
        Path dir = Files.createTempDirectory("mixnet-load");
        System.out.printf("mode %s, %d cores, %s%n", mode, Runtime.getRuntime().availableProcessors(), Instant.now());
        switch (mode) {
            case "node" -> node(dir, args.length > 1 ? Integer.parseInt(args[1]) : 240_000);
            case "latency" -> latency(dir, args.length > 1 ? Integer.parseInt(args[1]) : 300);
            case "throughput" -> throughput(dir, args.length > 1 ? Integer.parseInt(args[1]) : 20,
                    args.length > 2 ? Integer.parseInt(args[2]) : 16);
            default -> throw new IllegalArgumentException("mode: node | latency | throughput");
        }
        System.exit(0);
    }

    private static void node(Path dir, int n) throws Exception {
        // Cost of the public-key operation and of a whole unwrap, single thread, same JVM and run.
        KeyPair k = X25519.generateKeyPair();
        byte[] peer = X25519.generateKeyPair().publicKey();
        double x25519 = perOp(20_000, () -> X25519.sharedSecret(k.privateKey(), peer));
        Hop h1 = new Hop(RouteId.forIdentityKey(k.publicKey()), k.publicKey(), 1, 0);
        KeyPair k2 = X25519.generateKeyPair();
        Hop h2 = new Hop(RouteId.forIdentityKey(k2.publicKey()), k2.publicKey(), 1, 0);
        byte[] p = Sphinx.createPacket(List.of(h1, h2), Sphinx.Command.DELIVER, RouteId.random(), new byte[10],
                Sphinx.RandomSource.SECURE);
        double unwrap = perOp(20_000, () -> Sphinx.process(p, phase -> k));
        System.out.printf("single thread, CPU time: X25519 %.1f us/op, Sphinx unwrap %.1f us/packet (%.2fx the X25519)%n",
                x25519, unwrap, unwrap / x25519);

        // The node under test forwards to a sink that only counts frames (so no second node shares the CPU).
        KeyPair sinkId = org.aivillage.betanet.crypto.Ed25519.generateKeyPair();
        LinkTransport sinkTransport = new TcpLinkTransport(8192);
        AtomicLong sunk = new AtomicLong();
        LinkTransport.Listener sink = sinkTransport.listen(any(), (l, f) -> sunk.incrementAndGet());
        try (LocalMixnet net = new LocalMixnet(dir, 1, 1, Runtime.getRuntime().availableProcessors(), new TcpLinkTransport(8192),
                java.util.Set.of(java.nio.ByteBuffer.wrap(sinkId.publicKey())))) {
            Mixnode node = net.mixnodes.getFirst();
            long epoch0 = node.topology().keyEpochAt(Instant.now());
            TopologyNode sinkNode = new TopologyNode(TopologyNode.Role.MIX, sinkId.publicKey(),
                    "127.0.0.1:" + sink.localAddress().getPort(), 2, 1,
                    List.of(new TopologyNode.EpochKey(epoch0, X25519.generateKeyPair().publicKey())));
            String refused = net.directory.accept(org.aivillage.betanet.mixnode.TopologyCodec.signDescriptor(
                    new org.aivillage.betanet.mixnode.TopologyCodec.Descriptor(Instant.now(), sinkNode), sinkId.privateKey()));
            if (refused != null) {
                throw new IllegalStateException(refused);
            }
            while (node.topology().node(sinkNode.routeId()).isEmpty()) {
                Thread.sleep(50);
            }
            Topology t = node.topology();
            long epoch = t.keyEpochAt(Instant.now());
            TopologyNode me = t.node(node.routeId()).orElseThrow();
            TopologyNode exit = t.node(sinkNode.routeId()).orElseThrow();
            List<Hop> path = List.of(
                    new Hop(me.routeId(), me.keyFor(epoch).orElseThrow().publicKey(), (int) (epoch & 0xff), 0),
                    new Hop(exit.routeId(), exit.keyFor(epoch).orElseThrow().publicKey(), (int) (epoch & 0xff), 0));
            System.out.printf("building %d packets...%n", n);
            byte[][] packets = new byte[n][];
            try (ExecutorService ex = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
                List<Future<?>> fs = new ArrayList<>();
                int chunk = (n + 7) / 8;
                for (int c = 0; c < n; c += chunk) {
                    int from = c;
                    fs.add(ex.submit(() -> {
                        for (int i = from; i < Math.min(n, from + chunk); i++) {
                            packets[i] = Sphinx.createPacket(path, Sphinx.Command.DROP, RouteId.random(), new byte[0],
                                    Sphinx.RandomSource.SECURE);
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            LinkTransport tx = new TcpLinkTransport(n);
            String addr = "127.0.0.1:" + node.linkAddress().getPort();
            Link a = tx.connect(addr, (l, f) -> { }, Duration.ofSeconds(5));
            Link b = tx.connect(addr, (l, f) -> { }, Duration.ofSeconds(5));
            // Warm-up: the first third, not measured, so that the JIT has compiled the node's whole path.
            int warm = n / 3;
            blast(node, sunk, a, b, packets, 0, warm);
            System.out.printf("warm-up: %d packets; measuring %d%n", warm, n - warm);
            // The measured packets go in ROUNDS slices; before each, one X25519 is timed again on this
            // thread, so each slice's ratio compares the node with the public-key operation as fast as
            // the box runs it at that moment (a one-off reference drifts with the box by +-10 %).
            int rounds = Integer.getInteger("mixnet.rounds", 8);
            int m = n - warm;
            double[] ratios = new double[rounds];
            double[] refs = new double[rounds];
            double[] busy0 = new double[rounds];
            Mixnode.Stats before = node.stats();
            double commits0 = commits(node);
            long workersTotal = 0;
            long replayTotal = 0;
            long cpuTotal = 0;
            long wallTotal = 0;
            for (int r = 0; r < rounds; r++) {
                int from = warm + (int) ((long) m * r / rounds);
                int to = warm + (int) ((long) m * (r + 1) / rounds);
                refs[r] = perOp(4_000, () -> X25519.sharedSecret(k.privateKey(), peer));
                long workers0 = threadsCpu("mix-worker");
                long replay0 = threadsCpu("replay-writer");
                long cpu0 = processCpu();
                long t0 = System.nanoTime();
                // Meanwhile a probe thread times a few X25519s every 10 ms (about 6 % of one core) on
                // the busy box, to show how much slower the operation itself runs beside the node.
                java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
                double[] probe = new double[2];
                Thread prober = Thread.ofPlatform().name("x25519-probe").start(() -> {
                    java.lang.management.ThreadMXBean tmx = java.lang.management.ManagementFactory.getThreadMXBean();
                    while (busy.get()) {
                        long c0 = tmx.getCurrentThreadCpuTime();
                        try {
                            for (int i = 0; i < 20; i++) {
                                X25519.sharedSecret(k.privateKey(), peer);
                            }
                        } catch (org.aivillage.betanet.crypto.CryptoException e) {
                            throw new IllegalStateException(e);
                        }
                        probe[0] += tmx.getCurrentThreadCpuTime() - c0;
                        probe[1] += 20;
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                    }
                });
                blast(node, sunk, a, b, packets, from, to);
                wallTotal += System.nanoTime() - t0;
                busy.set(false);
                prober.join();
                busy0[r] = probe[1] == 0 ? Double.NaN : probe[0] / 1e3 / probe[1];
                long w = threadsCpu("mix-worker") - workers0;
                long rw = threadsCpu("replay-writer") - replay0;
                workersTotal += w;
                replayTotal += rw;
                cpuTotal += processCpu() - cpu0;
                ratios[r] = (w + rw) / 1e3 / (to - from) / refs[r];
            }
            double secs = wallTotal / 1e9;
            double workerUs = workersTotal / 1e3 / m;
            double replayUs = replayTotal / 1e3 / m;
            double processUs = cpuTotal / 1e3 / m;
            double refMedian = median(refs);
            Mixnode.Stats s = node.stats();
            System.out.printf("mixnode (%d processing threads): %d packets in %.2f s = %.0f packets/s; forwarded %d, dropped %s%n",
                    Runtime.getRuntime().availableProcessors(), m, secs, m / secs, s.packetsOut() - before.packetsOut(),
                    s.dropReasons());
            System.out.printf("CPU per packet: %.1f us in the node's processing threads (unwrap, replay check and "
                    + "group commit, scheduling); %.1f us in a replay-tag writer thread (none since the processing "
                    + "threads commit themselves); %.1f us for the whole JVM (load driver, links and sink included)%n",
                    workerUs, replayUs, processUs);
            System.out.printf("X25519 timed before each of %d rounds: median %.1f us (%s)%n", rounds, refMedian,
                    fmt(refs));
            System.out.printf("node CPU per packet / X25519 of the same round: median %.2fx (rounds: %s); "
                    + "whole JVM %.2fx%n", median(ratios), fmt(ratios), processUs / refMedian);
            double[] inSitu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                inSitu[r] = ratios[r] * refs[r] / busy0[r];
            }
            System.out.printf("X25519 timed by a probe thread while the node was busy: median %.1f us (%s); "
                    + "node CPU per packet / that: median %.2fx%n", median(busy0), fmt(busy0), median(inSitu));
            System.out.printf("rate this box could sustain from the node's CPU cost alone: %.0f packets/s on %d cores "
                    + "(processing threads only), %.0f packets/s (whole JVM: node, driver and sink on the same cores)%n",
                    Runtime.getRuntime().availableProcessors() * 1e6 / (workerUs + replayUs),
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors() * 1e6 / processUs);
            double commitsMeasured = commits(node) - commits0;
            System.out.printf("replay tags: %.0f group commits while measuring, %.1f packets per commit%n",
                    commitsMeasured, commitsMeasured == 0 ? Double.NaN : m / commitsMeasured);
            System.out.printf("the sink received %d packets%n", sunk.get());
            a.close();
            b.close();
            tx.close();
        } finally {
            sink.close();
            sinkTransport.close();
        }
    }

    private static void latency(Path dir, int n) throws Exception {
        try (LocalMixnet net = new LocalMixnet(dir, 3, 2, 1, new TcpLinkTransport());
             BetaNetClient client = new BetaNetClient(ClientConfig.builder(net.source, net.authority.publicKey(), net.transport)
                     .coverTraffic(false).sourceAsGroup(64999).build())) {
            client.connect();
            // LOW draws no mixing delay: every hop forwards at once.
            String id = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW));
            byte[] msg = "ping".getBytes();
            for (int i = 0; i < 200; i++) {
                client.sendMessage(id, msg);
            }
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                client.sendMessage(id, msg);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("3-hop message + SURB reply (4 Sphinx hops each way, delays 0), %d round trips: p50 %.2f ms, "
                    + "p90 %.2f ms, p99 %.2f ms, min %.2f ms%n", n, ms[n / 2], ms[n * 9 / 10], ms[n * 99 / 100], ms[0]);
            List<Hop> four = List.of(hop(), hop(), hop(), hop());
            double create = perOp(200, () -> Sphinx.createPacket(four, Sphinx.Command.DELIVER, RouteId.random(), new byte[10],
                    Sphinx.RandomSource.SECURE));
            double surb = perOp(200, () -> Sphinx.createSurb(four, RouteId.random(), Sphinx.RandomSource.SECURE));
            System.out.printf("of which the client builds a 4-hop packet (%.2f ms) and a 4-hop SURB (%.2f ms)%n", create / 1000,
                    surb / 1000);
        }
    }

    private static Hop hop() {
        KeyPair k = X25519.generateKeyPair();
        return new Hop(RouteId.forIdentityKey(k.publicKey()), k.publicKey(), 1, 0);
    }

    private static void throughput(Path dir, int seconds, int concurrency) throws Exception {
        try (LocalMixnet net = new LocalMixnet(dir, 3, 2, 1, new TcpLinkTransport());
             BetaNetClient client = new BetaNetClient(ClientConfig.builder(net.source, net.authority.publicKey(), net.transport)
                     .coverTraffic(false).sourceAsGroup(64999).build())) {
            client.connect();
            String id = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW));
            byte[] msg = new byte[900];
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < concurrency; c++) {
                    ex.submit(() -> {
                        while (System.nanoTime() < end) {
                            client.sendMessage(id, msg);
                            done.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            double rate = done.get() / (double) seconds;
            System.out.printf("one client, %d concurrent senders, 900-byte messages over a 3-hop circuit (delays 0): "
                    + "%.0f messages/s = %.0f KiB/s of payload each way (%d round trips, %d retries)%n", concurrency, rate,
                    rate * 900 / 1024, done.get(), client.stats().retries());
        }
    }

    @FunctionalInterface
    interface Op {
        Object run() throws Exception;
    }

    /** Microseconds of this thread's CPU time per operation (robust against other load on the box). */
    private static double perOp(int n, Op op) throws Exception {
        for (int i = 0; i < n / 4; i++) {
            op.run();
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n;
    }

    /** The node's count of replay-tag group commits ({@code mixnode_replay_commits}). */
    private static double commits(Mixnode node) {
        var c = node.registry().find("mixnode_replay_commits").functionCounter();
        return c == null ? 0 : c.count();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.isEmpty() ? "" : " ").append(String.format("%.2f", d));
        }
        return b.toString();
    }

    /** CPU nanoseconds used so far by the live threads whose name starts with {@code prefix}. */
    private static final int IN_FLIGHT = 8192;

    /** Sends packets[from, to) alternately over a and b and waits until the node has handled them all. */
    private static void blast(Mixnode node, AtomicLong sunk, Link a, Link b, byte[][] packets, int from, int to)
            throws InterruptedException {
        Mixnode.Stats before = node.stats();
        long sunk0 = sunk.get();
        long t0 = System.nanoTime();
        // Closed loop: at most IN_FLIGHT packets sent but not yet handled, so the node runs flat out
        // without overflowing its inbound queue (which would count drops, not processing).
        for (int i = from; i < to; i++) {
            if ((i & 255) == 0) {
                while (true) {
                    Mixnode.Stats s = node.stats();
                    long handled = s.packetsOut() + s.dropped() + s.replayed()
                            - before.packetsOut() - before.dropped() - before.replayed();
                    if (i - from - handled <= IN_FLIGHT) {
                        break;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000); // not a spin: the driver's CPU counts
                }
            }
            while (!(i % 2 == 0 ? a : b).send(new LinkFrame.Packet(packets[i]))) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
        long target = before.packetsOut() + before.dropped() + before.replayed() + (to - from);
        while (true) {
            Mixnode.Stats s = node.stats();
            if (s.packetsOut() + s.dropped() + s.replayed() >= target && sunk.get() - sunk0 >= s.packetsOut() - before.packetsOut()) {
                return;
            }
            if (System.nanoTime() - t0 > Duration.ofMinutes(3).toNanos()) {
                throw new IllegalStateException("timed out: " + s);
            }
            Thread.sleep(1);
        }
    }

    private static long threadsCpu(String prefix) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long c = mx.getThreadCpuTime(t.threadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static InetSocketAddress any() {
        return new InetSocketAddress("127.0.0.1", 0);
    }
}
