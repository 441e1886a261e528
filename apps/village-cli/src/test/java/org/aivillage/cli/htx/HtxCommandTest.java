package org.aivillage.cli.htx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code village htx serve|connect}: a server in a child JVM (as a user runs it), clients in-process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HtxCommandTest {
    static final Pattern CONNECT = Pattern.compile("village htx connect (\\S+) (.*)$");
    @TempDir
    Path dir;

    record Run(int exit, byte[] out, String err) {}

    static Run connect(byte[] input, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new HtxConnectCommand(new ByteArrayInputStream(input), out));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, out.toByteArray(), err.toString());
    }

    /** Starts {@code village htx serve --echo} as a child process; returns it and its connect arguments. */
    Process startEchoServer(List<String> connectArgs) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Village.class.getName(),
                "htx", "serve", "--echo", "--listen", "127.0.0.1:0", "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            seen.add(line);
            Matcher m = CONNECT.matcher(line.strip());
            if (m.find()) {
                connectArgs.add(m.group(1));
                connectArgs.addAll(Arrays.asList(m.group(2).split(" ")));
                Thread.ofVirtual().start(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // child ended
                    }
                });
                return p;
            }
        }
        throw new AssertionError("serve printed no connect line: " + seen);
    }

    @Test
    void twoProcessesTalkThroughHtx() throws Exception {
        List<String> args = new ArrayList<>();
        Process server = startEchoServer(args);
        try {
            byte[] message = new byte[300_000];
            new java.util.Random(7).nextBytes(message);
            Run run = connect(message, args);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(message);
            assertThat(run.err()).contains("connected to");
            List<String> viaJdk = new ArrayList<>(args);
            viaJdk.addAll(List.of("--client-hello", "jdk"));
            Run jdk = connect("over the JDK client\n".getBytes(), viaJdk);
            assertThat(jdk.exit()).as(jdk.err()).isZero();
            assertThat(new String(jdk.out())).isEqualTo("over the JDK client\n");

            // A wrong ticket key: the server serves its decoy; the client says so and exits 3.
            List<String> wrong = new ArrayList<>(args);
            int i = wrong.indexOf("--ticket-key");
            wrong.set(i + 1, "0102030405060708:" + "11".repeat(32));
            Run rejected = connect("x".getBytes(), wrong);
            assertThat(rejected.exit()).isEqualTo(HtxCommand.EXIT_TICKET_REJECTED);
            assertThat(rejected.err()).contains("ticket was not accepted");

            // A browser without a ticket just sees the decoy site over HTTPS.
            String hostPort = args.getFirst();
            HttpResponse<String> page = httpsClient(Path.of(args.get(args.indexOf("--ca") + 1)))
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + hostPort.substring(hostPort.lastIndexOf(':') + 1) + "/")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Welcome");
        } finally {
            server.destroy();
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        // The two admitted tickets are on record in the state directory for the next server run.
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state").resolve("ticket-replay.db"));
                var s = db.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ticket_use")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void serveAndConnectPipeBothWays() throws Exception {
        PipedOutputStream feedServer = new PipedOutputStream();
        PipedInputStream serverStdin = new PipedInputStream(feedServer);
        ByteArrayOutputStream serverStdout = new ByteArrayOutputStream();
        StringWriter serverErr = new StringWriter();
        PrintWriter serverErrWriter = new PrintWriter(serverErr, true);
        CommandLine serve = new CommandLine(new HtxServeCommand(serverStdin, serverStdout));
        serve.setErr(serverErrWriter);
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> serve.execute(
                "--listen", "127.0.0.1:0", "--state", dir.resolve("s2").toString(), "--key-agreement", "hybrid"));
        List<String> args = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (args.isEmpty() && System.nanoTime() < deadline) {
            for (String line : serverErr.toString().split("\n")) {
                Matcher m = CONNECT.matcher(line.strip());
                if (m.find()) {
                    args.add(m.group(1));
                    args.addAll(Arrays.asList(m.group(2).split(" ")));
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertThat(args).isNotEmpty();
        feedServer.write("from the server\n".getBytes());
        feedServer.close();
        args.addAll(List.of("--key-agreement", "hybrid"));
        Run client = connect("from the client\n".getBytes(), args);
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(new String(client.out())).isEqualTo("from the server\n");
        assertThat(served.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(serverStdout.toString()).isEqualTo("from the client\n");
        assertThat(serverErr.toString()).contains("hybrid_x25519_mlkem768");
        assertThat(Files.exists(dir.resolve("s2/server.key"))).isTrue();
    }

    /** Without flags, serve takes its listener and decoy site from [network.betanet] of the loaded file. */
    @Test
    void serveReadsTheBetanetSectionOfTheConfigFile() throws Exception {
        Path site = Files.createDirectories(dir.resolve("config-site"));
        Files.writeString(site.resolve("index.html"), "<html><body>Decoy from village.toml</body></html>");
        Path toml = dir.resolve("village.toml");
        Files.writeString(toml, "[network.betanet]\nlisten_address = \"127.0.0.1\"\nlisten_port = 0\n"
                + "decoy_dir = \"" + site.toString().replace("\\", "\\\\") + "\"\n");
        PipedOutputStream feedServer = new PipedOutputStream();
        PipedInputStream serverStdin = new PipedInputStream(feedServer);
        StringWriter serverErr = new StringWriter();
        CommandLine serve = new CommandLine(new HtxServeCommand(serverStdin, new ByteArrayOutputStream()));
        serve.setErr(new PrintWriter(serverErr, true));
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> serve.execute(
                "--config", toml.toString(), "--state", dir.resolve("s3").toString()));
        List<String> args = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (args.isEmpty() && System.nanoTime() < deadline) {
            for (String line : serverErr.toString().split("\n")) {
                Matcher m = CONNECT.matcher(line.strip());
                if (m.find()) {
                    args.add(m.group(1));
                    args.addAll(Arrays.asList(m.group(2).split(" ")));
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertThat(args).as(serverErr.toString()).isNotEmpty();
        assertThat(serverErr.toString()).contains("using [network.betanet] from " + toml + " (--config)")
                .contains("listening on 127.0.0.1:");
        String hostPort = args.getFirst();
        HttpResponse<String> page = httpsClient(Path.of(args.get(args.indexOf("--ca") + 1)))
                .send(HttpRequest.newBuilder(URI.create("https://localhost:" + hostPort.substring(hostPort.lastIndexOf(':') + 1) + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("Decoy from village.toml");
        feedServer.close();
        Run client = connect(new byte[0], args);
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(served.get(30, TimeUnit.SECONDS)).isZero();
    }

    static HttpClient httpsClient(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
