package org.aivillage.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.FabricCertificates;
import org.aivillage.fabric.FabricApiToken;
import org.aivillage.fabric.FabricClient;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.FabricNode;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three fabric nodes as separate JVM processes on loopback (started as {@code FabricNode --config},
 * the same code path as {@code village fabric node}), cluster traffic over mutual TLS. A node is
 * killed with SIGKILL while a client keeps sending requests; its replica must run again on a
 * survivor (awaited for up to 30 s; how fast is a benchmark, {@code FabricLoadDriver failover},
 * not a timed assertion here), no request may fail, and the restarted node must rejoin.
 */
class ClusterProcessTest {
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static final List<String> NAMES = List.of("n1", "n2", "n3");
    /** The first seed, which is also the oldest member and so hosts the shard coordinator. */
    static final String VICTIM = "n1";
    static final Map<String, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    static final Map<String, Path> configs = new java.util.HashMap<>();
    static final Map<String, FabricClient> clients = new java.util.HashMap<>();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process launch(String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), FabricNode.class.getName(),
                "--config", configs.get(name).toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        Process p = pb.start();
        processes.put(name, p);
        return p;
    }

    @BeforeAll
    static void startNodes() throws Exception {
        Map<String, TlsSettings> certs = FabricCertificates.generate(dir.resolve("tls"), NAMES, Duration.ofDays(1));
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            clusterPorts.add(freePort());
        }
        String seeds = String.join(", ", clusterPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList());
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            int apiPort = freePort();
            TlsSettings tls = certs.get(name);
            // The test makes the token file the node will use, so that its clients know the token.
            Path tokenFile = dir.resolve(name + "-api.token");
            FabricApiToken token = FabricApiToken.loadOrCreate(tokenFile);
            String toml = """
                    [global]
                    node_id = "%s"
                    data_dir = "%s"

                    [agents.fabric]
                    cluster_endpoints = [%s]
                    cluster_bind = "127.0.0.1:%d"
                    api_bind = "127.0.0.1:%d"
                    api_token_file = "%s"
                    tls_cert_file = "%s"
                    tls_key_file = "%s"
                    tls_ca_file = "%s"
                    max_agents = 20
                    cpu_cores = 4
                    memory_gb = 1
                    request_timeout_ms = 10000

                    [performance]
                    admin_port = 0

                    [logging]
                    level = "info"
                    """.formatted(name, dir.resolve(name + "-data"), seeds, clusterPorts.get(i), apiPort, tokenFile,
                    tls.certFile(), tls.keyFile(), tls.caFile());
            Path config = dir.resolve(name + ".toml");
            Files.writeString(config, toml);
            configs.put(name, config);
            clients.put(name, new FabricClient("127.0.0.1:" + apiPort, Duration.ofSeconds(5), token));
        }
        for (String name : NAMES) {
            launch(name);
        }
        for (String name : NAMES) {
            awaitValue(name + " joined a cluster of 3", FORM_TIMEOUT, () -> {
                FabricClient.Nodes n = clients.get(name).nodes();
                return n.ready() && n.nodes().size() == 3 && n.nodes().stream().allMatch(x -> x.reachable()) ? n : null;
            });
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls (every 100 ms) until the supplier returns non-null; FabricExceptions count as "not yet". */
    static <T> T awaitValue(String what, Duration timeout, Supplier<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try {
                T v = probe.get();
                if (v != null) {
                    return v;
                }
            } catch (FabricException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (String n : NAMES) {
                    Path log = dir.resolve(n + ".log");
                    if (Files.exists(log)) {
                        List<String> lines = Files.readAllLines(log);
                        logs.append("\n--- ").append(n).append(".log (tail)\n")
                                .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
                    }
                }
                throw new AssertionError("timed out waiting until " + what + " (last error: " + last + ")" + logs);
            }
            Thread.sleep(100);
        }
    }

    static String nodeOf(ReplicaStatus r) {
        return r.node().orElse("?");
    }

    @Test
    void spreadReplicasFailOverAfterKillingTheOldestNodeWhichRejoins() throws Exception {
        FabricClient n1 = clients.get("n1");
        assertThat(n1.services("insp*")).extracting(s -> s.key()).containsExactly("inspect@1.0.0");
        AgentId id = n1.deploy(new AgentSpec("inspector", "inspect", 3, PlacementStrategy.SPREAD));
        AgentStatus placed = awaitValue("3 replicas running", FORM_TIMEOUT, () -> {
            AgentStatus s = n1.status(id);
            return s.state() == AgentState.RUNNING ? s : null;
        });
        assertThat(placed.replicas()).extracting(ClusterProcessTest::nodeOf).containsExactlyInAnyOrder("n1", "n2", "n3");
        // Every node answers for the agent, from replicas on all three nodes.
        Set<String> answered = new HashSet<>();
        for (String via : NAMES) {
            for (int i = 0; i < 6; i++) {
                AgentResponse r = clients.get(via).send(id, "test", JsonNodeFactory.instance.numberNode(i), Optional.empty());
                assertThat(r.content().get("content").intValue()).isEqualTo(i);
                answered.add(r.node());
            }
        }
        assertThat(answered).containsExactlyInAnyOrder("n1", "n2", "n3");

        // Keep sending through n2 while n1 -- the oldest node: first seed, shard coordinator -- is killed.
        FabricClient n2 = clients.get("n2");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastVictimAnswer = new AtomicLong();
        Thread load = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (running.get()) {
                try {
                    // The send time, not the time the answer was seen: on a loaded machine this
                    // virtual thread may resume seconds after an answer the victim gave before it died.
                    long sentAt = System.nanoTime();
                    AgentResponse r = n2.send(id, "load", JsonNodeFactory.instance.numberNode(i++),
                            Optional.of(Duration.ofSeconds(10)));
                    ok.incrementAndGet();
                    if (r.node().equals(VICTIM)) {
                        lastVictimAnswer.accumulateAndGet(sentAt, Math::max);
                    }
                } catch (FabricException e) {
                    failures.add(e.code() + ": " + e.getMessage());
                }
            }
        });
        awaitValue("load running", Duration.ofSeconds(30), () -> ok.get() > 20 ? true : null);
        long killedAt = System.nanoTime();
        processes.get(VICTIM).destroyForcibly();
        assertThat(processes.get(VICTIM).waitFor(10, TimeUnit.SECONDS)).isTrue();

        AgentStatus failedOver = awaitValue("replicas running on the survivors", Duration.ofSeconds(30), () -> {
            AgentStatus s = n2.status(id);
            boolean moved = s.state() == AgentState.RUNNING
                    && s.replicas().stream().allMatch(r -> !nodeOf(r).equals(VICTIM));
            return moved ? s : null;
        });
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.err.println("FAILOVER replicas running on survivors " + failoverMs + " ms after kill -9");
        assertThat(failedOver.replicas()).extracting(ClusterProcessTest::nodeOf).containsOnly("n2", "n3")
                .contains("n2", "n3");
        int okAtFailover = ok.get();
        awaitValue("requests after failover", Duration.ofSeconds(30), () -> ok.get() > okAtFailover + 20 ? true : null);

        // The killed node comes back with the same address and rejoins.
        launch(VICTIM);
        awaitValue(VICTIM + " rejoined", FORM_TIMEOUT, () -> {
            FabricClient.Nodes seen = n2.nodes();
            FabricClient.Nodes self = clients.get(VICTIM).nodes();
            return self.ready() && seen.nodes().size() == 3 && seen.nodes().stream().allMatch(n -> n.reachable())
                    && self.nodes().size() == 3 ? true : null;
        });
        AgentResponse viaVictim = awaitValue(VICTIM + " serves the agent", Duration.ofSeconds(30),
                () -> clients.get(VICTIM).send(id, "rejoined", JsonNodeFactory.instance.textNode("hi"), Optional.empty()));
        assertThat(viaVictim.content().get("content").asText()).isEqualTo("hi");
        // New deployments use the rejoined node again.
        AgentId after = clients.get(VICTIM).deploy(new AgentSpec("after", "echo", 3, PlacementStrategy.SPREAD));
        AgentStatus afterStatus = awaitValue("spread over the rejoined cluster", FORM_TIMEOUT, () -> {
            AgentStatus s = n2.status(after);
            return s.state() == AgentState.RUNNING ? s : null;
        });
        assertThat(afterStatus.replicas()).extracting(ClusterProcessTest::nodeOf).containsExactlyInAnyOrder("n1", "n2", "n3");
        running.set(false);
        load.join(Duration.ofSeconds(30));
        System.err.println("FAILOVER load: " + ok.get() + " ok, " + failures.size() + " failed " + failures);
        assertThat(failures).as("requests during and after the failover").isEmpty();
        assertThat(lastVictimAnswer.get()).as("no request sent after the kill was answered by the killed node")
                .isLessThanOrEqualTo(killedAt);

        n2.undeploy(id);
        n2.undeploy(after);
        awaitValue("undeployed everywhere", Duration.ofSeconds(30),
                () -> NAMES.stream().allMatch(n -> clients.get(n).agents().isEmpty()) ? true : null);
    }
}
