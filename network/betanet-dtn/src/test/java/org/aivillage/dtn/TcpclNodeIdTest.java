package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aivillage.dtn.TestCertificates.Identity;
import org.aivillage.dtn.internal.CertificateNodeIds;
import org.aivillage.dtn.internal.TcpclSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9174 §4.4.3: a TLS peer's certificate must name the Node ID it claims in SESS_INIT. */
class TcpclNodeIdTest {
    private final List<TcpclConvergenceLayer> layers = new ArrayList<>();

    @AfterEach
    void closeLayers() {
        layers.forEach(TcpclConvergenceLayer::close);
    }

    private TcpclConvergenceLayer layer(String node, int port, TcpclOptions o) {
        TcpclConvergenceLayer l = new TcpclConvergenceLayer(EndpointId.parse(node), InetAddress.getLoopbackAddress(), port, o);
        layers.add(l);
        return l;
    }

    /** Connects cli to srv; both present their identity and trust the other's. */
    private ClaLink connect(Identity srvId, TcpclOptions srvOpts, Identity cliId, TcpclOptions cliOpts,
                                   TcpclTest.Recorder rx) throws Exception {
        TcpclConvergenceLayer server = layer("dtn://srv/", 0, srvOpts);
        TcpclConvergenceLayer client = layer("dtn://cli/", -1, cliOpts);
        server.start(rx);
        client.start(new TcpclTest.Recorder());
        return client.connect("127.0.0.1:" + server.port(), null, Duration.ofSeconds(10));
    }

    @Test
    void certificatesNamingTheNodeIdsAreAcceptedWhenRequired() throws Exception {
        Identity srv = TestCertificates.identity("dtn://srv/");
        Identity cli = TestCertificates.identity("https://example.org/", "dtn://cli/");
        TcpclTest.Recorder rx = new TcpclTest.Recorder();
        ClaLink link = connect(srv, TcpclOptions.defaults().withNodeIdCertificates(TestCertificates.context(srv, cli)),
                cli, TcpclOptions.defaults().withNodeIdCertificates(TestCertificates.context(cli, srv)), rx);
        try {
            assertThat(((TcpclSession) link).tls()).isTrue();
            assertThat(link.peerNodeId()).isEqualTo(EndpointId.parse("dtn://srv/"));
            link.send("authenticated".getBytes(), Duration.ofSeconds(10));
            assertThat(rx.bundles).hasSize(1);
        } finally {
            link.close();
        }
    }

    @Test
    void aServerWhoseCertificateNamesAnotherNodeIsRefused() throws Exception {
        Identity srv = TestCertificates.identity("dtn://someone-else/");
        Identity cli = TestCertificates.identity("dtn://cli/");
        // Neither side requires Node ID certificates: a certificate that names Node IDs must still name the right one.
        assertThatThrownBy(() -> connect(srv, TcpclOptions.defaults().withTls(TestCertificates.context(srv, cli), true),
                cli, TcpclOptions.defaults().withTls(TestCertificates.context(cli, srv), true), new TcpclTest.Recorder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("claims Node ID dtn://srv/")
                .hasMessageContaining("dtn://someone-else/");
    }

    @Test
    void aClientWhoseCertificateNamesAnotherNodeIsRefusedByTheServer() throws Exception {
        Identity srv = TestCertificates.identity("dtn://srv/");
        Identity cli = TestCertificates.identity("ipn:7.0");
        TcpclTest.Recorder rx = new TcpclTest.Recorder();
        // The client accepts the server; the server sees a client claiming dtn://cli/ with an ipn:7 certificate
        // and terminates, so the client's session ends without carrying anything.
        try {
            ClaLink link = connect(srv, TcpclOptions.defaults().withTls(TestCertificates.context(srv, cli), true),
                    cli, TcpclOptions.defaults().withTls(TestCertificates.context(cli, srv), true), rx);
            assertThatThrownBy(() -> link.send("refused".getBytes(), Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        } catch (IOException refusedDuringHandshake) {
            assertThat(refusedDuringHandshake).isNotNull();
        }
        assertThat(rx.bundles).isEmpty();
    }

    @Test
    void certificatesWithoutNodeIdsAreAcceptedByDefaultAndRefusedWhenRequired() throws Exception {
        Identity srv = TestCertificates.identity();
        Identity cli = TestCertificates.identity("dtn://cli/");
        ClaLink ok = connect(srv, TcpclOptions.defaults().withTls(TestCertificates.context(srv, cli), true),
                cli, TcpclOptions.defaults().withTls(TestCertificates.context(cli, srv), true), new TcpclTest.Recorder());
        assertThat(((TcpclSession) ok).tls()).isTrue();
        ok.close();
        assertThatThrownBy(() -> connect(srv, TcpclOptions.defaults().withTls(TestCertificates.context(srv, cli), true),
                cli, TcpclOptions.defaults().withNodeIdCertificates(TestCertificates.context(cli, srv)), new TcpclTest.Recorder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("names no Node ID");
    }

    @Test
    void nodeIdsAreReadFromUriNamesOnly() throws Exception {
        Identity id = TestCertificates.identity("https://example.org/", "dtn://a/inbox", "ipn:9.3", "urn:example:x");
        assertThat(CertificateNodeIds.of(id.cert()))
                .containsExactly(EndpointId.parse("dtn://a/"), EndpointId.parse("ipn:9.0"));
        assertThat(CertificateNodeIds.of(TestCertificates.identity().cert())).isEmpty();
        // A URI entry that is not a URI makes the whole extension unreadable: refused, not "names none".
        Identity broken = TestCertificates.identity("dtn://a/", "not a uri at all");
        assertThatThrownBy(() -> CertificateNodeIds.of(broken.cert()))
                .isInstanceOf(java.security.cert.CertificateParsingException.class);
    }

    @Test
    void requiringNodeIdCertificatesNeedsTls() {
        assertThatThrownBy(() -> new TcpclOptions(Duration.ofSeconds(30), 1 << 20, 64L << 20, 1024, null, false,
                Duration.ofSeconds(10), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
