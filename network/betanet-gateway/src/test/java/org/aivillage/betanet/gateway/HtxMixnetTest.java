package org.aivillage.betanet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.aivillage.betanet.client.AnonymityLevel;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.CircuitConfig;
import org.aivillage.betanet.htx.DecoySite;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.JdkTlsConnector;
import org.aivillage.betanet.htx.TlsIdentity;
import org.aivillage.betanet.mixnode.HtxLinkTransport;
import org.aivillage.betanet.htx.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixnet over HTX: every link is an HTX stream (outer TLS 1.3, inner Noise XK, access tickets). */
class HtxMixnetTest {
    @TempDir
    Path dir;

    @Test
    void messagesCrossThreeLayersOverHtxAndTicketlessVisitorsSeeTheDecoy() throws Exception {
        Path tls = dir.resolve("tls");
        DevCertificates.write(tls, List.of("127.0.0.1"), "village testnet CA", java.time.Duration.ofDays(1));
        Path decoy = Files.createDirectories(dir.resolve("decoy"));
        Files.writeString(decoy.resolve("index.html"), "<html><body>Nothing to see here.</body></html>\n");
        HtxClientConfig clientConfig = HtxClientConfig.of(JdkTlsConnector.trustingPem(tls.resolve("ca.pem")));
        try (TestNetwork net = new TestNetwork(dir, 3, 1, new HtxLinkTransport(clientConfig, null),
                () -> new HtxLinkTransport(clientConfig, new HtxLinkTransport.ServerSide(
                        new TlsIdentity.PemFiles(tls.resolve("chain.pem"), tls.resolve("key.pem")),
                        new DecoySite.StaticDirectory(decoy))))) {
            assertThat(net.gateway.node().advertisedAddress()).contains("#");
            try (BetaNetClient client = net.client()) {
                String id = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW));
                byte[] big = new byte[5000];
                java.util.Arrays.fill(big, (byte) 'x');
                assertThat(client.sendMessage(id, "over htx".getBytes(StandardCharsets.UTF_8))).isEqualTo("over htx".getBytes());
                assertThat(client.sendMessage(id, big)).isEqualTo(big);
            }
            // A browser (no access ticket) reaching a mixnode's listener gets the decoy site.
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(tls.resolve("ca.pem")));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLSv1.3");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient browser = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
            int port = net.mixnodes.getFirst().linkAddress().getPort();
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Nothing to see here.");
        }
    }
}
