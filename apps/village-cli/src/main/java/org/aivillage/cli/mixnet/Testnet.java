package org.aivillage.cli.mixnet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.config.UserException;

/**
 * A local testnet: a directory, mixnodes in layers and a gateway, each a separate JVM on loopback,
 * with generated keys. Its state (keys, node databases, logs, pids and addresses) lives under one
 * directory so {@link #down} can stop exactly what {@link #up} started.
 */
final class Testnet {
    static final String STATE = "testnet.properties";

    /** One started process. */
    record Proc(String name, String role, int layer, long pid, String link, String admin, String mirror) {}

    /** What a running testnet is. */
    record State(Path dir, String directoryUrl, String authorityHex, List<Proc> processes) {
        Optional<Proc> gateway() {
            return processes.stream().filter(p -> p.role().equals("gateway")).findFirst();
        }
    }

    private Testnet() {}

    static Path defaultDir() {
        String env = System.getenv("VILLAGE_TESTNET_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".village", "testnet");
    }

    static Optional<State> read(Path dir) throws IOException {
        Path f = dir.resolve(STATE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<Proc> procs = new ArrayList<>();
        for (String name : p.getProperty("processes", "").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            procs.add(new Proc(name, p.getProperty(name + ".role"), Integer.parseInt(p.getProperty(name + ".layer", "0")),
                    Long.parseLong(p.getProperty(name + ".pid", "-1")), p.getProperty(name + ".link", ""),
                    p.getProperty(name + ".admin", ""), p.getProperty(name + ".mirror", "")));
        }
        return Optional.of(new State(dir, p.getProperty("directory"), p.getProperty("authority"), procs));
    }

    private static void write(State s) throws IOException {
        Properties p = new Properties();
        p.setProperty("directory", s.directoryUrl());
        p.setProperty("authority", s.authorityHex());
        List<String> names = new ArrayList<>();
        for (Proc pr : s.processes()) {
            names.add(pr.name());
            p.setProperty(pr.name() + ".role", pr.role());
            p.setProperty(pr.name() + ".layer", Integer.toString(pr.layer()));
            p.setProperty(pr.name() + ".pid", Long.toString(pr.pid()));
            p.setProperty(pr.name() + ".link", pr.link());
            p.setProperty(pr.name() + ".admin", pr.admin());
            p.setProperty(pr.name() + ".mirror", pr.mirror());
        }
        p.setProperty("processes", String.join(",", names));
        Path tmp = s.dir().resolve(STATE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "village testnet: processes started by 'village testnet up'");
        }
        Files.move(tmp, s.dir().resolve(STATE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static boolean alive(Proc p) {
        return ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts a testnet; on any failure stops what it started. */
    static State up(Path dir, int mixnodes, int layers, long keyEpochSeconds, boolean cover, Duration readyTimeout,
                    PrintWriter progress) throws IOException, InterruptedException {
        if (mixnodes < layers || layers < 1 || layers > 5 || mixnodes > 64) {
            throw new UserException("need 1..5 layers and at least one mixnode per layer (at most 64 mixnodes)");
        }
        Optional<State> old = read(dir);
        if (old.isPresent() && old.get().processes().stream().anyMatch(Testnet::alive)) {
            throw new UserException("a testnet is already running in " + dir + "; run 'village testnet down' first");
        }
        Files.createDirectories(dir.resolve("logs"));
        Path tls = dir.resolve("tls");
        if (!Files.exists(tls.resolve("chain.pem"))) {
            org.aivillage.betanet.htx.DevCertificates.write(tls, List.of("127.0.0.1", "localhost"), "village testnet CA", Duration.ofDays(30));
        }
        KeyPair authority = KeyFiles.readOrCreate(dir.resolve("authority.key"));
        String authorityHex = HexFormat.of().formatHex(authority.publicKey());
        int dirPort = freePort();
        String directoryUrl = "http://127.0.0.1:" + dirPort;

        record Plan(String name, String role, int layer, int as, List<String> args) {}
        List<Plan> plans = new ArrayList<>();
        StringBuilder authorized = new StringBuilder();
        for (int i = 0; i < mixnodes; i++) {
            int layer = i % layers + 1;
            String name = "mix-" + layer + "-" + (i / layers + 1);
            plans.add(new Plan(name, "mix", layer, 64500 + i % 4, new ArrayList<>(List.of("mixnode", "--layer", Integer.toString(layer)))));
        }
        plans.add(new Plan("gateway", "gateway", 0, 64600, new ArrayList<>(List.of("gateway", "--service", "echo=echo"))));
        List<Proc> started = new ArrayList<>();
        State state = new State(dir, directoryUrl, authorityHex, started);
        try {
            List<Plan> nodes = new ArrayList<>();
            for (Plan p : plans) {
                Path id = dir.resolve("keys").resolve(p.name() + ".key");
                KeyPair kp = KeyFiles.readOrCreate(id);
                authorized.append(HexFormat.of().formatHex(kp.publicKey())).append('\n');
                int link = freePort();
                int admin = freePort();
                int mirror = freePort();
                List<String> args = new ArrayList<>(p.args());
                args.addAll(List.of("--identity", id.toString(), "--listen", "127.0.0.1:" + link, "--directory", directoryUrl,
                        "--authority", authorityHex, "--data-dir", dir.resolve("data").resolve(p.name()).toString(),
                        "--as-group", Integer.toString(p.as()), "--admin-port", Integer.toString(admin),
                        "--key-epoch", Long.toString(keyEpochSeconds), "--topology-refresh", "2",
                        "--tls-chain", tls.resolve("chain.pem").toString(), "--tls-key", tls.resolve("key.pem").toString(),
                        "--tls-ca", tls.resolve("ca.pem").toString(), "--mirror-listen", "127.0.0.1:" + mirror));
                if (!cover) {
                    args.addAll(List.of("--loop-rate", "0", "--drop-rate", "0"));
                }
                nodes.add(new Plan(p.name() + "|127.0.0.1:" + link + "|127.0.0.1:" + admin + "|127.0.0.1:" + mirror, p.role(),
                        p.layer(), p.as(), args));
            }
            Files.writeString(dir.resolve("authorized.txt"), authorized.toString());
            int dirAdmin = freePort();
            started.add(launch(dir, "directory", "directory", 0, "127.0.0.1:" + dirPort, "127.0.0.1:" + dirAdmin, "",
                    List.of("directory", "--authority-key", dir.resolve("authority.key").toString(), "--listen",
                            "127.0.0.1:" + dirPort, "--authorized", dir.resolve("authorized.txt").toString(),
                            "--mirror", dir.resolve("topology.bin").toString(), "--key-epoch", Long.toString(keyEpochSeconds),
                            "--admin-port", Integer.toString(dirAdmin))));
            write(state);
            for (Plan n : nodes) {
                String[] parts = n.name().split("\\|");
                started.add(launch(dir, parts[0], n.role(), n.layer(), parts[1], parts[2], parts[3], n.args()));
                write(state);
            }
            progress.printf("started %d processes; waiting until every node is ready...%n", started.size());
            progress.flush();
            awaitReady(started, readyTimeout);
            return state;
        } catch (IOException | InterruptedException | RuntimeException e) {
            down(state, Duration.ofSeconds(10));
            throw e;
        }
    }

    private static Proc launch(Path dir, String name, String role, int layer, String link, String admin, String mirror,
                               List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // C1 only: a testnet node starts several times faster on a small box; steady-state crypto is a little slower.
        cmd.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", classPath(), "org.aivillage.cli.Village"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("logs").resolve(name + ".log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        return new Proc(name, role, layer, p.pid(), link, admin, mirror);
    }

    private static String classPath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitReady(List<Proc> procs, Duration timeout) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + timeout.toNanos();
        List<Proc> waiting = new ArrayList<>(procs);
        while (!waiting.isEmpty()) {
            for (Proc p : List.copyOf(waiting)) {
                if (!alive(p)) {
                    throw new UserException("testnet process " + p.name() + " exited during start-up; see its log under logs/");
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + p.admin() + "/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        waiting.remove(p);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > end) {
                throw new UserException("testnet not ready within " + timeout.toSeconds() + " s: "
                        + waiting.stream().map(Proc::name).toList() + " (see logs/)");
            }
            Thread.sleep(200);
        }
    }

    /** Stops every process of the state (SIGTERM, then SIGKILL after the grace period); returns how many were running. */
    static int down(State s, Duration grace) throws IOException {
        int stopped = 0;
        List<ProcessHandle> handles = new ArrayList<>();
        for (Proc p : s.processes()) {
            Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
            if (h.isPresent() && h.get().isAlive() && isOurs(h.get())) {
                h.get().destroy();
                handles.add(h.get());
                stopped++;
            }
        }
        long end = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(Math.max(1, (end - System.nanoTime()) / 1_000_000), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        Files.deleteIfExists(s.dir().resolve(STATE));
        return stopped;
    }

    /** Guards against a recycled pid: only stop JVMs running our launcher class. */
    private static boolean isOurs(ProcessHandle h) {
        return h.info().arguments().map(a -> java.util.Arrays.asList(a).contains("org.aivillage.cli.Village")).orElse(true);
    }
}
