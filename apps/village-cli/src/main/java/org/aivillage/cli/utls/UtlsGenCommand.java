package org.aivillage.cli.utls;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.aivillage.betanet.utls.ClientHelloInfo;
import org.aivillage.betanet.utls.ClientHelloRecorder;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Fingerprints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code village utlsgen}: the uTLS configuration generator (capture a browser's ClientHello, show templates). */
@Command(name = "utlsgen", mixinStandardHelpOptions = true,
        description = "Capture browser ClientHellos into uTLS templates and show templates with their JA3/JA4.",
        subcommands = {UtlsGenCommand.Capture.class, UtlsGenCommand.Show.class})
public final class UtlsGenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "capture", mixinStandardHelpOptions = true,
            description = "Listen for TLS connections, record each ClientHello, write a template and its fingerprints."
                    + " Point a browser at https://<bind>:<port>/ (it will show a TLS error; that is expected).")
    static final class Capture implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", required = true, description = "TCP port to listen on")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
        String bind;

        @Option(names = "--count", defaultValue = "4",
                description = "ClientHellos to collect before writing (more reveal permutation and ECH lengths; default ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--timeout", defaultValue = "PT2M", description = "how long to wait (ISO-8601, default ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--name", defaultValue = "captured", description = "template name")
        String name;

        @Option(names = "--description", defaultValue = "", description = "free text stored in the template")
        String description;

        @Option(names = {"-o", "--out"}, required = true, description = "template file to write (JSON)")
        Path out;

        @Option(names = "--raw", description = "also write the captured records, one hex line each")
        Path raw;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            try (ClientHelloRecorder rec = ClientHelloRecorder.start(new InetSocketAddress(bind, port))) {
                w.printf("listening on %s:%d; point the client at https://%s:%d/ (waiting for %d ClientHellos)%n",
                        bind, rec.port(), bind, rec.port(), count);
                w.flush();
                List<byte[]> hellos = rec.await(count, timeout);
                if (hellos.isEmpty()) {
                    spec.commandLine().getErr().println("utlsgen: no ClientHello arrived within " + timeout);
                    return 1;
                }
                if (raw != null) {
                    StringBuilder sb = new StringBuilder();
                    hellos.forEach(h -> sb.append(java.util.HexFormat.of().formatHex(h)).append('\n'));
                    Files.writeString(raw, sb.toString(), StandardCharsets.US_ASCII);
                }
                for (byte[] h : hellos) {
                    ClientHelloInfo ch = ClientHelloInfo.parse(h);
                    w.printf("captured %d bytes  JA4 %s  JA3 %s%n", h.length, Fingerprints.ja4(ch).ja4(),
                            Fingerprints.ja3(ch).hash());
                }
                ClientHelloTemplate t = ClientHelloTemplate.fromCaptures(name, description, hellos);
                Files.writeString(out, t.toJson(), StandardCharsets.UTF_8);
                w.printf("wrote %s from %d ClientHellos%n", out, hellos.size());
                printFingerprints(w, t, ClientHelloInfo.parse(hellos.getFirst()).serverName().orElse("example.com"));
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a template (a file, or a built-in name: chromium, firefox-esr, openssl) and the"
                    + " JA3/JA4 of a ClientHello built from it.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "template file or built-in template name")
        String template;

        @Option(names = "--server-name", defaultValue = "example.com", description = "SNI for the sample hello")
        String serverName;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            Path p = Path.of(template);
            ClientHelloTemplate t;
            if (Files.isRegularFile(p)) {
                t = ClientHelloTemplate.load(p);
            } else if (ClientHelloTemplate.BUILTIN.contains(template)) {
                t = ClientHelloTemplate.builtin(template);
            } else {
                spec.commandLine().getErr().println("utlsgen: no such file or built-in template: " + template);
                return 2;
            }
            w.print(t.describe());
            printFingerprints(w, t, serverName);
            return 0;
        }
    }

    static void printFingerprints(PrintWriter w, ClientHelloTemplate t, String serverName) throws Exception {
        byte[] hello = t.sampleClientHello(serverName);
        ClientHelloInfo ch = ClientHelloInfo.parse(hello);
        Fingerprints.Ja4 ja4 = Fingerprints.ja4(ch);
        Fingerprints.Ja3 ja3 = Fingerprints.ja3(ch);
        w.printf("fingerprints of a hello built from it (SNI %s, %d bytes):%n", serverName, hello.length);
        w.printf("  JA4    %s%n  JA4_r  %s%n  JA3    %s%n  JA3 text %s%n", ja4.ja4(), ja4.ja4r(), ja3.hash(), ja3.text());
        if (t.permuteExtensions()) {
            w.println("  (extension order is permuted per connection, so JA3 and JA4_o vary; JA4 does not)");
        }
    }
}
