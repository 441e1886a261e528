package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.aivillage.betanet.utls.support.ExternalTool;
import org.aivillage.betanet.utls.support.Nginx;
import org.aivillage.betanet.utls.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mirrored client against real server processes: openssl s_server and nginx from Debian. */
class ExternalServersHandshakeTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String LABEL = "EXPORTER-betanet-test";
    static TestPki pki;
    static TestPki.ServerIdentity id;
    static Path dir;
    static Nginx nginx;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("utls-ext");
        pki = new TestPki();
        id = pki.issue(TestPki.ec("secp256r1"), dir, "utls.test", "localhost");
        nginx = new Nginx(dir.resolve("nginx"), id);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Process sServer(int port, String... extra) throws Exception {
        String openssl = ExternalTool.require("openssl", "openssl");
        List<String> cmd = new ArrayList<>(List.of(openssl, "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", id.certPem().toString(), "-key", id.keyPem().toString(), "-tls1_3", "-alpn", "h2,http/1.1",
                "-keymatexport", LABEL, "-keymatexportlen", "32", "-naccept", "1"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "firefox-esr", "openssl"})
    void opensslSServerEveryTemplate(String name) throws Exception {
        int port = ExternalTool.freePort();
        Process p = sServer(port);
        try {
            BlockingQueue<String> out = ExternalTool.lines(p);
            ExternalTool.awaitLine(out, "ACCEPT", TIMEOUT);
            try (UtlsConnection c = UtlsClient.connect("127.0.0.1", port, "utls.test", ClientHelloTemplate.builtin(name),
                    pki.trust(), TIMEOUT)) {
                String km = ExternalTool.awaitLine(out, "Keying material:", TIMEOUT);
                byte[] serverExport = HexFormat.of().parseHex(km.substring(km.indexOf(':') + 1).trim().toLowerCase());
                assertThat(c.exportKeyingMaterial(LABEL, null, 32)).isEqualTo(serverExport);
                assertThat(c.exportKeyingMaterial(LABEL, new byte[0], 32)).isEqualTo(serverExport);
                assertThat(c.negotiatedAlpn()).contains("h2");
                c.getOutputStream().write("ping from utls\n".getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
                ExternalTool.awaitLine(out, "ping from utls", TIMEOUT);
                OutputStream stdin = p.getOutputStream();
                stdin.write("pong from s_server\n".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                byte[] got = c.getInputStream().readNBytes("pong from s_server\n".length());
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("pong from s_server\n");
            }
        } finally {
            ExternalTool.destroyTree(p);
        }
    }

    @Test
    void opensslHelloRetryRequestAndChaCha() throws Exception {
        int port = ExternalTool.freePort();
        Process p = sServer(port, "-groups", "P-384", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256");
        try {
            BlockingQueue<String> out = ExternalTool.lines(p);
            ExternalTool.awaitLine(out, "ACCEPT", TIMEOUT);
            try (UtlsConnection c = UtlsClient.connect("127.0.0.1", port, "utls.test",
                    ClientHelloTemplate.builtin("firefox-esr"), pki.trust(), TIMEOUT)) {
                assertThat(c.helloRetryRequested()).isTrue();
                assertThat(c.namedGroup()).isEqualTo(0x0018);
                assertThat(c.cipherSuite()).isEqualTo(0x1303);
                String km = ExternalTool.awaitLine(out, "Keying material:", TIMEOUT);
                assertThat(HexFormat.of().formatHex(c.exportKeyingMaterial(LABEL, null, 32)))
                        .isEqualToIgnoringCase(km.substring(km.indexOf(':') + 1).trim());
            }
        } finally {
            ExternalTool.destroyTree(p);
        }
    }

    @Test
    void opensslCertificateRequestIsAnsweredWithAnEmptyCertificate() throws Exception {
        int port = ExternalTool.freePort();
        Process p = sServer(port, "-verify", "1");
        try {
            BlockingQueue<String> out = ExternalTool.lines(p);
            ExternalTool.awaitLine(out, "ACCEPT", TIMEOUT);
            try (UtlsConnection c = UtlsClient.connect("127.0.0.1", port, "utls.test",
                    ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT)) {
                c.getOutputStream().write("after client auth\n".getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
                ExternalTool.awaitLine(out, "after client auth", TIMEOUT);
            }
        } finally {
            ExternalTool.destroyTree(p);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "firefox-esr", "openssl"})
    void nginxEveryTemplateHttp11(String name) throws Exception {
        try (UtlsConnection c = UtlsClient.connect("127.0.0.1", nginx.h1Port, "utls.test",
                ClientHelloTemplate.builtin(name), pki.trust(), TIMEOUT)) {
            assertThat(c.negotiatedAlpn()).contains("http/1.1");
            c.getOutputStream().write("GET / HTTP/1.1\r\nHost: utls.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            c.getOutputStream().flush();
            String response = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello from nginx\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "firefox-esr", "openssl"})
    void nginxEveryTemplateNegotiatesH2(String name) throws Exception {
        try (UtlsConnection c = UtlsClient.connect("127.0.0.1", nginx.h2Port, "utls.test",
                ClientHelloTemplate.builtin(name), pki.trust(), TIMEOUT)) {
            assertThat(c.negotiatedAlpn()).contains("h2");
            c.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            c.getOutputStream().flush();
            byte[] header = c.getInputStream().readNBytes(9);
            assertThat(header[3]).as("first server frame is SETTINGS").isEqualTo((byte) 4);
        }
    }
}
