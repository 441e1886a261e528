package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.utls.support.JdkTlsServer;
import org.aivillage.betanet.utls.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mirrored client against the JDK's TLS 1.3 server (SSLServerSocket) on loopback. */
class JdkServerHandshakeTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static TestPki pki;
    static TestPki.ServerIdentity ecId;
    static TestPki.ServerIdentity rsaId;
    static SSLContext ecCtx;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("utls-jdk");
        pki = new TestPki();
        ecId = pki.issue(TestPki.ec("secp256r1"), dir, "utls.test", "localhost");
        rsaId = pki.issue(TestPki.rsa(), dir, "utls.test");
        ecCtx = TestPki.serverContext(ecId);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static void exchange(UtlsConnection c, int size) throws Exception {
        byte[] data = Randomness.bytes(size);
        OutputStream out = c.getOutputStream();
        out.write(data);
        out.flush();
        byte[] back = c.getInputStream().readNBytes(size);
        assertThat(back).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "firefox-esr", "openssl"})
    void everyTemplateHandshakesExchangesDataAndExportsLikeTheServer(String name) throws Exception {
        ClientHelloTemplate t = ClientHelloTemplate.builtin(name);
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test", t, pki.trust(), TIMEOUT)) {
            exchange(c, 100_000);
            JdkTlsServer.Session s = server.sessions.poll(10, TimeUnit.SECONDS);
            assertThat(s).isNotNull();
            assertThat(s.protocol()).isEqualTo("TLSv1.3");
            assertThat(c.negotiatedAlpn()).contains("h2");
            assertThat(s.alpn()).isEqualTo("h2");
            assertThat(c.exportKeyingMaterial(JdkTlsServer.EXPORTER_LABEL, JdkTlsServer.EXPORTER_CONTEXT, 32))
                    .isEqualTo(s.exporter());
            assertThat(c.peerCertificates().getFirst()).isEqualTo(ecId.cert());
            assertThat(ClientHelloInfo.parse(c.clientHello()).serverName()).contains("utls.test");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"})
    void everyAeadSuiteWorks(String suite) throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null,
                JdkTlsServer.list(suite));
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                        ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT)) {
            exchange(c, 40_000);
            JdkTlsServer.Session s = server.sessions.poll(10, TimeUnit.SECONDS);
            assertThat(s.cipherSuite()).isEqualTo(suite);
            assertThat(c.exportKeyingMaterial(JdkTlsServer.EXPORTER_LABEL, JdkTlsServer.EXPORTER_CONTEXT, 32))
                    .isEqualTo(s.exporter());
        }
    }

    @Test
    void helloRetryRequestToAGroupWithoutAShare() throws Exception {
        // Chromium shares X25519MLKEM768 and X25519 but also lists secp384r1: a P-384-only server sends HRR.
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"),
                JdkTlsServer.list("secp384r1"), null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                        ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT)) {
            exchange(c, 1000);
            assertThat(c.helloRetryRequested()).isTrue();
            assertThat(c.namedGroup()).isEqualTo(0x0018);
            JdkTlsServer.Session s = server.sessions.poll(10, TimeUnit.SECONDS);
            assertThat(c.exportKeyingMaterial(JdkTlsServer.EXPORTER_LABEL, JdkTlsServer.EXPORTER_CONTEXT, 32))
                    .isEqualTo(s.exporter());
        }
    }

    @Test
    void secp256r1ShareFromFirefox() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"),
                JdkTlsServer.list("secp256r1"), null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                        ClientHelloTemplate.builtin("firefox-esr"), pki.trust(), TIMEOUT)) {
            exchange(c, 1000);
            assertThat(c.helloRetryRequested()).isFalse();
            assertThat(c.namedGroup()).isEqualTo(0x0017);
        }
    }

    @Test
    void rsaCertificateWithPssSignature() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(TestPki.serverContext(rsaId), JdkTlsServer.list("TLSv1.3"), null,
                null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                        ClientHelloTemplate.builtin("firefox-esr"), pki.trust(), TIMEOUT)) {
            exchange(c, 1000);
            assertThat(c.peerCertificates().getFirst().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        }
    }

    @Test
    void serverKeyUpdateIsFollowed() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null)) {
            server.keyUpdateAfterFirstEcho = true;
            try (UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                    ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT)) {
                for (int i = 0; i < 5; i++) {
                    exchange(c, 5000);
                }
            }
            assertThat(server.errors).isEmpty();
        }
    }

    @Test
    void tls12ServerIsRefusedClearly() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.2"), null, null)) {
            assertThatThrownBy(() -> UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                    ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT))
                    .isInstanceOf(UtlsHandshakeException.class)
                    .hasMessageContaining("TLS 1.2")
                    .hasMessageContaining("TLS 1.3 only")
                    .extracting(e -> ((UtlsHandshakeException) e).alert()).isEqualTo(70);
        }
    }

    @Test
    void wrongHostNameIsRejected() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null)) {
            assertThatThrownBy(() -> UtlsClient.connect("127.0.0.1", server.port(), "other.example",
                    ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT))
                    .isInstanceOf(UtlsHandshakeException.class)
                    .hasMessageContaining("does not match host name 'other.example'");
        }
    }

    @Test
    void untrustedCertificateIsRejected() throws Exception {
        TestPki stranger = new TestPki();
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null)) {
            assertThatThrownBy(() -> UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                    ClientHelloTemplate.builtin("chromium"), stranger.trust(), TIMEOUT))
                    .isInstanceOf(UtlsHandshakeException.class)
                    .hasMessageContaining("rejected by the trust manager");
        }
    }

    @Test
    void ipLiteralOmitsSniAndMatchesIpSan() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "127.0.0.1",
                        ClientHelloTemplate.builtin("chromium"), pki.trust(), TIMEOUT)) {
            exchange(c, 10);
            ClientHelloInfo ch = ClientHelloInfo.parse(c.clientHello());
            assertThat(ch.serverName()).isEmpty();
            assertThat(Fingerprints.ja4(ch).ja4()).startsWith("t13i");
        }
    }

    @Test
    void closeNotifyEndsTheStream() throws Exception {
        try (JdkTlsServer server = new JdkTlsServer(ecCtx, JdkTlsServer.list("TLSv1.3"), null, null);
                UtlsConnection c = UtlsClient.connect("127.0.0.1", server.port(), "utls.test",
                        ClientHelloTemplate.builtin("openssl"), pki.trust(), TIMEOUT)) {
            exchange(c, 10);
            c.shutdownOutput();
            InputStream in = c.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(Arrays.asList(1)).hasSize(1);
        }
    }
}
