package org.aivillage.bench.htx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxClient;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxEndpoint;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.JdkTlsConnector;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.TicketKey;

/**
 * Single-stream bulk throughput with the client and the server in two processes, as HTX runs for
 * real: the driver starts the receiving end (plain JDK TLS 1.3 server and HTX servers alike) in a
 * child JVM (same java binary, same classpath, same JVM options) and sends from its own JVM over
 * loopback, alternating TLS and HTX rounds as {@link HtxThroughputDriver} does. Each process has its
 * own virtual-thread carriers, so a receiver's reader no longer waits for the sender's carriers.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar org.aivillage.bench.htx.HtxTwoProcessDriver [rounds=8] [seconds=2] [transports=regex]</pre>
 *
 * <p>{@code -Dhtx.serverJvmArgs="..."} adds JVM options to the server process only (e.g.
 * {@code -XX:StartFlightRecording=...}; the driver's own recording options are not passed on).
 *
 * <p>{@code -Dhtx.profileCommand="..."} runs a command alongside every measured round (not the
 * warm-up), started just before the round and awaited after it, with {@code {client}},
 * {@code {server}} (process ids), {@code {seconds}} (the round's length, whole seconds rounded up)
 * and {@code {name}} (transport and round number) replaced, e.g.
 * {@code perf stat -e ... -p {client},{server} -o /tmp/{name}.txt -- sleep {seconds}}; with one
 * transport and one round, whatever it measures divides by the MiB the round reports.
 * {@code -Dhtx.warmupSeconds=N} (default 5) sets each transport's warm-up; profiles want more, so
 * that the JIT compilers have finished.
 *
 * <p>Reports the median receiver-side MiB/s, the median of per-round HTX/TLS ratios, and the CPU
 * time per MiB of each process (client = sender, server = receiver; each measured by the process
 * itself with {@code getProcessCpuTime}, the child's reported over its stdin/stdout).
 *
 * <p>Child protocol (stdout lines starting with {@code @}; anything else is ignored): one
 * {@code @pipe name port certBase64 serverStaticHex ticketKeyHex} per transport, then {@code @ready};
 * each {@code stat} line on stdin is answered with {@code @stat cpuNanos name=bytes ...}; end of
 * stdin ends the child.
 */
public final class HtxTwoProcessDriver {
    private HtxTwoProcessDriver() {}

    /** The transports: receive windows are the server's, since the bytes flow client → server. */
    static Map<String, HtxLimits> variants() {
        Map<String, HtxLimits> v = new LinkedHashMap<>();
        v.put("tls", HtxLimits.DEFAULT);
        // Chrome's windows (6 MiB per stream, 15 MiB per connection); a write's head in one-record
        // frames, the rest in four-record frames
        v.put("htx-default", HtxLimits.DEFAULT);
        v.put("htx-1m", HtxLimits.DEFAULT.withWindows(1 << 20, 16 << 20)); // the windows before 27 Nov 18:00
        // every frame at most one record: the default before 28 Nov 04:00
        v.put("htx-record-frames", HtxLimits.ONE_RECORD_FRAMES);
        return v;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve(args.length > 1 ? args[1] : ".*");
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        String keep = args.length > 2 ? args[2] : ".*";
        drive(rounds, seconds, keep);
    }

    // ---------------------------------------------------------------- child: the receiving end

    private static void serve(String keep) throws Exception {
        // stdout carries the protocol; keep everything else off it.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Pattern filter = Pattern.compile(keep);
        Map<String, AtomicLong> received = new LinkedHashMap<>();
        List<AutoCloseable> close = new ArrayList<>();
        for (Map.Entry<String, HtxLimits> e : variants().entrySet()) {
            if (!filter.matcher(e.getKey()).matches()) {
                continue;
            }
            AtomicLong count = new AtomicLong();
            received.put(e.getKey(), count);
            String cert;
            if (e.getKey().equals("tls")) {
                BenchRig rig = new BenchRig(e.getValue(), KeyAgreement.X25519, c -> { });
                close.add(rig);
                SSLServerSocket server = (SSLServerSocket) rig.serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
                server.setEnabledProtocols(new String[] {"TLSv1.3"});
                close.add(server);
                rig.pool.submit(() -> {
                    while (!server.isClosed()) {
                        SSLSocket s = (SSLSocket) server.accept();
                        s.setTcpNoDelay(true);
                        rig.pool.submit(() -> {
                            HtxThroughputDriver.count(s.getInputStream(), count);
                            return null;
                        });
                    }
                    return null;
                });
                cert = Base64.getEncoder().encodeToString(rig.certificate.getEncoded());
                protocol.println("@pipe tls " + server.getLocalPort() + " " + cert + " - -");
            } else {
                BenchRig[] holder = new BenchRig[1];
                holder[0] = new BenchRig(e.getValue(), KeyAgreement.X25519, c -> holder[0].serveStreams(c, s -> HtxThroughputDriver.count(s.inputStream(), count)));
                BenchRig rig = holder[0];
                close.add(rig);
                cert = Base64.getEncoder().encodeToString(rig.certificate.getEncoded());
                protocol.println("@pipe " + e.getKey() + " " + rig.server.localAddress().getPort() + " " + cert + " "
                        + HexFormat.of().formatHex(rig.serverStatic.publicKey()) + " " + rig.ticketKey.ticketKey().toHex());
            }
        }
        protocol.println("@ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stat")) {
                StringBuilder b = new StringBuilder("@stat ").append(HtxThroughputDriver.OS.getProcessCpuTime());
                received.forEach((k, v) -> b.append(' ').append(k).append('=').append(v.get()));
                protocol.println(b);
            }
        }
        for (AutoCloseable c : close.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // exiting
            }
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- parent: the sending end

    record Child(Process process, PrintWriter commands, BufferedReader replies) {
        /** The child's process CPU time (ns) and bytes received per transport. */
        Stat stat() throws IOException {
            commands.println("stat");
            commands.flush();
            String[] f = awaitLine("@stat").split(" ");
            Map<String, Long> bytes = new HashMap<>();
            for (int i = 2; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                bytes.put(f[i].substring(0, eq), Long.parseLong(f[i].substring(eq + 1)));
            }
            return new Stat(Long.parseLong(f[1]), bytes);
        }

        String awaitLine(String prefix) throws IOException {
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new IOException("the server process ended (exit " + process.onExit().join().exitValue() + ") before '" + prefix + "'");
        }
    }

    record Stat(long cpuNanos, Map<String, Long> bytes) {}

    record Round(double mibPerSecond, double clientCpuMs, double serverCpuMs, double mib) {}

    private static void drive(int rounds, double seconds, String keep) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean nativeAccess = false;
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:StartFlightRecording") || a.startsWith("-agentlib") || a.startsWith("-javaagent")) {
                continue; // profile the child separately if needed
            }
            nativeAccess |= a.startsWith("--enable-native-access");
            command.add(a);
        }
        if (!nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        String extra = System.getProperty("htx.serverJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+"))); // e.g. a JFR recording of the server process
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HtxTwoProcessDriver.class.getName(), "--serve", keep));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Child child = new Child(p, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8),
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        List<AutoCloseable> close = new ArrayList<>();
        try {
            Map<String, OutputStream> pipes = new LinkedHashMap<>();
            Map<String, HtxLimits> variants = variants();
            String line;
            while (!(line = child.awaitLine("@")).equals("@ready")) {
                String[] f = line.split(" ");
                if (!f[0].equals("@pipe")) {
                    continue;
                }
                int port = Integer.parseInt(f[2]);
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(f[3])));
                SSLContext trust = BenchRig.trusting(cert);
                pipes.put(f[1], f[1].equals("tls") ? tlsClient(trust, port, close)
                        : htxClient(trust, port, variants.get(f[1]), HexFormat.of().parseHex(f[4]), TicketKey.fromHex(f[5]), close));
            }
            byte[] chunk = Randomness.bytes(1 << 20);
            Map<String, List<Round>> results = new LinkedHashMap<>();
            double warmup = Double.parseDouble(System.getProperty("htx.warmupSeconds", "5"));
            for (Map.Entry<String, OutputStream> e : pipes.entrySet()) {
                run(child, e.getKey(), e.getValue(), chunk, warmup); // warm-up (both JVMs compile their hot paths)
                results.put(e.getKey(), new ArrayList<>());
            }
            String profile = System.getProperty("htx.profileCommand", "").strip();
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, OutputStream> e : pipes.entrySet()) {
                    Process profiler = profile.isEmpty() ? null : startProfiler(profile, p.pid(), seconds, e.getKey() + "-" + r);
                    results.get(e.getKey()).add(run(child, e.getKey(), e.getValue(), chunk, seconds));
                    if (profiler != null && !profiler.waitFor((long) seconds + 30, TimeUnit.SECONDS)) {
                        profiler.destroy();
                    }
                }
            }
            report(rounds, seconds, results);
        } finally {
            for (AutoCloseable c : close.reversed()) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // ending
                }
            }
            child.commands().close(); // end of stdin ends the child
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
        System.exit(0);
    }

    /** Starts the {@code htx.profileCommand} for one round (placeholders replaced; split at spaces). */
    private static Process startProfiler(String template, long serverPid, double seconds, String name) throws IOException {
        List<String> cmd = new ArrayList<>();
        for (String word : template.split("\\s+")) {
            cmd.add(word.replace("{client}", Long.toString(ProcessHandle.current().pid()))
                    .replace("{server}", Long.toString(serverPid))
                    .replace("{seconds}", Long.toString((long) Math.ceil(seconds)))
                    .replace("{name}", name));
        }
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static Round run(Child child, String name, OutputStream out, byte[] chunk, double seconds) throws Exception {
        Stat s0 = child.stat();
        long cpu0 = HtxThroughputDriver.OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            out.write(chunk);
        }
        long t1 = System.nanoTime();
        long cpu1 = HtxThroughputDriver.OS.getProcessCpuTime();
        Stat s1 = child.stat();
        double mib = (s1.bytes().get(name) - s0.bytes().get(name)) / (double) (1 << 20);
        return new Round(mib / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e6 / mib, (s1.cpuNanos() - s0.cpuNanos()) / 1e6 / mib, mib);
    }

    private static void report(int rounds, double seconds, Map<String, List<Round>> results) {
        List<Round> tls = results.get("tls");
        System.out.printf("two processes (client sends, server receives), %d alternating rounds of %.1f s, receiver side (MiB/s)%n", rounds, seconds);
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            List<Double> rates = e.getValue().stream().map(Round::mibPerSecond).toList();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; tls != null && i < rounds; i++) {
                ratios.add(rates.get(i) / tls.get(i).mibPerSecond());
            }
            System.out.printf("  %-15s median %7.1f  (min %7.1f, max %7.1f)  ratio to TLS median %.2f  per round %s%n", e.getKey(),
                    HtxThroughputDriver.median(rates), rates.stream().mapToDouble(d -> d).min().orElse(0),
                    rates.stream().mapToDouble(d -> d).max().orElse(0), HtxThroughputDriver.median(ratios),
                    ratios.stream().map(d -> String.format("%.2f", d)).toList());
        }
        System.out.println("CPU cost per MiB delivered (medians of rounds; client = sender process, server = receiver process):");
        double tlsTotal = tls == null ? Double.NaN : HtxThroughputDriver.median(tls.stream().map(r -> r.clientCpuMs() + r.serverCpuMs()).toList());
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            double client = HtxThroughputDriver.median(e.getValue().stream().map(Round::clientCpuMs).toList());
            double server = HtxThroughputDriver.median(e.getValue().stream().map(Round::serverCpuMs).toList());
            double total = HtxThroughputDriver.median(e.getValue().stream().map(r -> r.clientCpuMs() + r.serverCpuMs()).toList());
            System.out.printf("  %-15s client %5.2f + server %5.2f = %5.2f CPU-ms/MiB; CPU ratio to TLS %.2f (%.0f MiB measured)%n",
                    e.getKey(), client, server, total, tlsTotal / total, e.getValue().stream().mapToDouble(Round::mib).sum());
        }
    }

    private static OutputStream htxClient(SSLContext trust, int port, HtxLimits limits, byte[] serverStatic, TicketKey ticketKey,
            List<AutoCloseable> close) throws IOException {
        HtxClientConfig cc = HtxClientConfig.of(new JdkTlsConnector(trust, List.of("h2", "http/1.1"))).withLimits(limits)
                .withBehaviour(BehaviourPolicy.DISABLED).withKeyAgreement(KeyAgreement.X25519);
        HtxConnection c = HtxClient.connect(cc, new HtxEndpoint("127.0.0.1", port, "localhost"), serverStatic, ticketKey, Duration.ofSeconds(30));
        close.add(c);
        HtxStream s = c.openStream();
        return s.outputStream();
    }

    private static OutputStream tlsClient(SSLContext trust, int port, List<AutoCloseable> close) throws IOException {
        SSLSocket c = BenchRig.tls13Client(trust, port);
        close.add(c);
        return c.getOutputStream();
    }
}
