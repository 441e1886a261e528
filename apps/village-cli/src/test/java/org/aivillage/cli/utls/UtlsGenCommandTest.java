package org.aivillage.cli.utls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.utls.ClientHelloInfo;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Fingerprints;
import org.aivillage.betanet.utls.UtlsClient;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UtlsGenCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Village.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void showPrintsTheTemplateAndItsJa4() throws Exception {
        Run r = run("utlsgen", "show", "chromium", "--server-name", "utls.test");
        assertThat(r.exit()).isZero();
        ClientHelloTemplate t = ClientHelloTemplate.builtin("chromium");
        String ja4 = Fingerprints.ja4(ClientHelloInfo.parse(t.sampleClientHello("utls.test"))).ja4();
        assertThat(r.out()).contains("template chromium").contains("X25519MLKEM768").contains("JA4    " + ja4)
                .contains("permuted per connection");
    }

    @Test
    void showRejectsAnUnknownTemplate() {
        Run r = run("utlsgen", "show", "no-such-template");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such file or built-in template");
    }

    @Test
    void captureWritesTheTemplateOfWhateverConnects() throws Exception {
        Path out = Files.createTempFile("captured", ".json");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try {
            CompletableFuture<Run> capture = CompletableFuture.supplyAsync(() -> run("utlsgen", "capture", "--port",
                    String.valueOf(port), "--count", "1", "--timeout", "PT30S", "--name", "from-test", "-o", out.toString()));
            ClientHelloTemplate source = ClientHelloTemplate.builtin("firefox-esr");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean connected = false;
            while (!connected && System.nanoTime() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    connected = true;
                    assertThatThrownBy(() -> UtlsClient.connect(s, "utls.test", source, UtlsClient.systemTrust(),
                            Duration.ofSeconds(10))).isInstanceOf(IOException.class).hasMessageContaining("handshake_failure");
                } catch (java.net.ConnectException notYet) {
                    Thread.sleep(50); // the command is still binding its listener
                }
            }
            Run r = capture.get(40, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("wrote " + out);
            ClientHelloTemplate captured = ClientHelloTemplate.load(out);
            assertThat(captured.name()).isEqualTo("from-test");
            assertThat(captured.cipherSuites()).isEqualTo(source.cipherSuites());
            assertThat(captured.extensionTypes()).isEqualTo(source.extensionTypes());
            assertThat(captured.supportedGroups()).isEqualTo(source.supportedGroups());
            assertThat(captured.keyShareGroups()).isEqualTo(source.keyShareGroups());
            assertThat(captured.signatureAlgorithms()).isEqualTo(source.signatureAlgorithms());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
