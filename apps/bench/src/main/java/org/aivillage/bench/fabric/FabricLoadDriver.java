package org.aivillage.bench.fabric;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.AgentFabric;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.BuiltinServices;
import org.aivillage.fabric.ClusterSettings;
import org.aivillage.fabric.FabricCertificates;
import org.aivillage.fabric.FabricApiToken;
import org.aivillage.fabric.FabricClient;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.FabricNode;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceLimits;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.TlsSettings;

/**
 * Load driver for the agent fabric. Prints one result line per run.
 *
 * <pre>
 * FabricLoadDriver embedded [seconds] [callers] [replicas]   request/response msg/s, p50/p99, in one JVM
 * FabricLoadDriver cluster  [seconds] [callers]              node A sends to an agent on node B (TLS, loopback)
 * FabricLoadDriver failover                                   3 node processes, kill -9 one, time to re-place
 * </pre>
 *
 * Callers are virtual threads each doing blocking request/response in a loop; latencies are
 * recorded per request (a bounded array per caller) and merged at the end.
 */
public final class FabricLoadDriver {
    private static final int MAX_SAMPLES_PER_CALLER = 2_000_000;

    private FabricLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "embedded";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        switch (mode) {
            case "embedded" -> embedded(seconds, callers, args.length > 3 ? Integer.parseInt(args[3]) : 2);
            case "cluster" -> cluster(seconds, callers);
            case "failover" -> failover();
            default -> throw new IllegalArgumentException("mode: embedded, cluster or failover");
        }
        System.exit(0);
    }

    /** Runs callers against {@code send} for warm-up then measurement; prints msg/s and percentiles. */
    interface Send {
        void send(int caller, long i) throws Exception;
    }

    static void drive(String label, int seconds, int callers, Send send) throws InterruptedException {
        run(callers, Math.max(2, seconds / 3), send, null);
        long[][] samples = new long[callers][];
        int[] counts = new int[callers];
        long t0 = System.nanoTime();
        long errors = run(callers, seconds, send, (c, lat) -> {
            if (samples[c] == null) {
                samples[c] = new long[1 << 16];
            }
            if (counts[c] == samples[c].length && counts[c] < MAX_SAMPLES_PER_CALLER) {
                samples[c] = Arrays.copyOf(samples[c], Math.min(MAX_SAMPLES_PER_CALLER, counts[c] * 2));
            }
            if (counts[c] < samples[c].length) {
                samples[c][counts[c]++] = lat;
            }
        });
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < callers; c++) {
            if (samples[c] != null) {
                System.arraycopy(samples[c], 0, all, k, counts[c]);
                k += counts[c];
            }
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "%s: %d callers, %.0f msg/s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f ms,"
                + " %d requests, %d errors%n", label, callers, total / elapsed, pct(all, 0.50) / 1e3, pct(all, 0.99) / 1e3,
                pct(all, 0.999) / 1e3, (all.length == 0 ? 0 : all[all.length - 1]) / 1e6, total, errors);
    }

    interface Recorder {
        void record(int caller, long latencyNanos);
    }

    static long run(int callers, int seconds, Send send, Recorder recorder) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            threads.add(Thread.ofVirtual().start(() -> {
                long i = 0;
                while (!stop.get()) {
                    long s = System.nanoTime();
                    try {
                        send.send(caller, i++);
                        if (recorder != null) {
                            recorder.record(caller, System.nanoTime() - s);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return errors.get();
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    static void embedded(int seconds, int callers, int replicas) throws Exception {
        try (AgentFabric fabric = new AgentFabric(new AgentConfig("bench", List.of(), 64, new ResourceLimits(64, 64))
                .withMailboxCapacity(65_536))) {
            fabric.start();
            fabric.registerService(ServiceDefinition.of("echo", "1"), () -> (ctx, m) -> m.content());
            AgentId id = fabric.deployAgent(new AgentSpec("echo", "echo", replicas, PlacementStrategy.LOCAL));
            AgentMessage m = new AgentMessage(id, "bench", IntNode.valueOf(42));
            drive("embedded request/response, " + replicas + " replicas", seconds, callers,
                    (c, i) -> fabric.sendMessage(m, Duration.ofSeconds(10)));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static AgentFabric clusterNode(String name, int port, List<String> seeds, TlsSettings tls) {
        AgentFabric f = new AgentFabric(AgentConfig.cluster(name, seeds, 64, new ResourceLimits(8, 4),
                new ClusterSettings("127.0.0.1", port, tls)).withMailboxCapacity(65_536));
        for (ServiceBinding b : new BuiltinServices().services()) {
            f.registerService(b);
        }
        return f;
    }

    /** Two nodes in this JVM over TLS on loopback; every request crosses from A to the replica on B. */
    static void cluster(int seconds, int callers) throws Exception {
        Path dir = Files.createTempDirectory("fabric-bench");
        Map<String, TlsSettings> certs = FabricCertificates.generate(dir, List.of("a", "b"), Duration.ofDays(1));
        int pa = freePort();
        int pb = freePort();
        List<String> seeds = List.of("127.0.0.1:" + pa, "127.0.0.1:" + pb);
        try (TempDir cleanup = new TempDir(dir);
                AgentFabric a = clusterNode("a", pa, seeds, certs.get("a"));
                AgentFabric b = clusterNode("b", pb, seeds, certs.get("b"))) {
            a.start();
            b.start();
            if (!a.awaitReady(Duration.ofSeconds(60)) || !b.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("cluster did not form");
            }
            waitFor(() -> a.nodes().size() == 2 && b.nodes().size() == 2, Duration.ofSeconds(30));
            AgentId id = b.deployAgent(new AgentSpec("echo", "echo", 1, PlacementStrategy.LOCAL));
            waitFor(() -> a.getAgentStatus(id).state() == AgentState.RUNNING, Duration.ofSeconds(30));
            AgentMessage m = new AgentMessage(id, "bench", JsonNodeFactory.instance.objectNode().put("n", 42));
            drive("cluster request/response A -> B (TLS, loopback)", seconds, callers,
                    (c, i) -> a.sendMessage(m, Duration.ofSeconds(10)));
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (FabricException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Three {@link FabricNode} processes; an agent with 3 replicas spread over them; a client
     * sends requests through node 1 while node 3 gets SIGKILL. Reports the time until every replica
     * runs on the survivors, the longest gap between successful responses, and failed requests.
     */
    static void failover() throws Exception {
        Path dir = Files.createTempDirectory("fabric-failover");
        List<String> names = List.of("n1", "n2", "n3");
        Map<String, TlsSettings> certs = FabricCertificates.generate(dir.resolve("tls"), names, Duration.ofDays(1));
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String seeds = String.join(", ", ports.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList());
        Map<String, Process> procs = new HashMap<>();
        Map<String, FabricClient> clients = new HashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (TempDir cleanup = new TempDir(dir); Processes running = new Processes(procs)) {
            for (int i = 0; i < 3; i++) {
                String n = names.get(i);
                int api = freePort();
                TlsSettings t = certs.get(n);
                Path tokenFile = dir.resolve(n + "-api.token");
                FabricApiToken token = FabricApiToken.loadOrCreate(tokenFile);
                Path cfg = dir.resolve(n + ".toml");
                Files.writeString(cfg, """
                        [agents.fabric]
                        node_id = "%s"
                        cluster_endpoints = [%s]
                        cluster_bind = "127.0.0.1:%d"
                        api_bind = "127.0.0.1:%d"
                        api_token_file = "%s"
                        tls_cert_file = "%s"
                        tls_key_file = "%s"
                        tls_ca_file = "%s"
                        [performance]
                        admin_port = 0
                        [logging]
                        level = "warn"
                        """.formatted(n, seeds, ports.get(i), api, tokenFile, t.certFile(), t.keyFile(), t.caFile()));
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        FabricNode.class.getName(), "--config", cfg.toString());
                pb.redirectErrorStream(true).redirectOutput(dir.resolve(n + ".log").toFile());
                procs.put(n, pb.start());
                clients.put(n, new FabricClient("127.0.0.1:" + api, Duration.ofSeconds(5), token));
            }
            for (String n : names) {
                waitFor(() -> clients.get(n).nodes().nodes().size() == 3 && clients.get(n).nodes().ready(),
                        Duration.ofSeconds(120));
            }
            FabricClient n1 = clients.get("n1");
            AgentId id = n1.deploy(new AgentSpec("svc", "inspect", 3, PlacementStrategy.SPREAD));
            waitFor(() -> n1.status(id).state() == AgentState.RUNNING, Duration.ofSeconds(60));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong lastOk = new AtomicLong(System.nanoTime());
            AtomicLong maxGap = new AtomicLong();
            Thread load = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        n1.send(id, "bench", IntNode.valueOf(1), Optional.of(Duration.ofSeconds(10)));
                        long now = System.nanoTime();
                        maxGap.accumulateAndGet(now - lastOk.getAndSet(now), Math::max);
                        ok.incrementAndGet();
                    } catch (FabricException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            Thread.sleep(3000);
            long gapBefore = maxGap.getAndSet(0);
            long killed = System.nanoTime();
            procs.get("n3").destroyForcibly().waitFor();
            waitFor(() -> {
                AgentStatus s = n1.status(id);
                return s.state() == AgentState.RUNNING
                        && s.replicas().stream().noneMatch(r -> r.node().orElse("").equals("n3"));
            }, Duration.ofSeconds(60));
            double replacedMs = (System.nanoTime() - killed) / 1e6;
            Thread.sleep(3000);
            stop.set(true);
            load.join();
            System.out.printf(Locale.ROOT, "failover after kill -9: replicas running on survivors after %.0f ms; "
                    + "longest gap between responses %.0f ms (before the kill %.0f ms); %d ok, %d failed requests%n",
                    replacedMs, maxGap.get() / 1e6, gapBefore / 1e6, ok.get(), failed.get());
        }
    }

    /** Stops the node processes (SIGTERM, then SIGKILL after 20 s) when closed. */
    private record Processes(Map<String, Process> procs) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            for (Process p : procs.values()) {
                p.destroy();
            }
            for (Process p : procs.values()) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Deletes a temporary directory (test certificates and keys, node logs) when closed. */
    private record TempDir(Path dir) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

}
