package org.aivillage.bench.htx;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.DecoySite;
import org.aivillage.betanet.htx.HtxClient;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxEndpoint;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxServer;
import org.aivillage.betanet.htx.HtxServerConfig;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.JdkTlsConnector;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TicketRateLimit;
import org.aivillage.betanet.htx.TlsIdentity;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An HTX server and client in one JVM on loopback, plus the same TLS identity for plain JDK TLS
 * 1.3 baselines. Behaviour emulation off (it adds a few frames per second, not relevant to bulk
 * figures); ticket rate limits lifted so handshake loops are not served the decoy.
 */
final class BenchRig implements AutoCloseable {
    final SSLContext serverTls;
    final X509Certificate certificate;
    final SSLContext clientContext;
    final JdkTlsConnector clientTls;
    final KeyPair serverStatic = X25519.generateKeyPair();
    final TicketIssuerKey ticketKey = TicketIssuerKey.generate();
    final HtxServer server;
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    final Path site;

    BenchRig(HtxLimits limits, KeyAgreement serverAgreement, Consumer<HtxConnection> onConnection) throws Exception {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                name, key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key.getPrivate(), new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        serverTls = SSLContext.getInstance("TLSv1.3");
        serverTls.init(kmf.getKeyManagers(), null, null);
        certificate = cert;
        clientContext = trusting(cert);
        clientTls = new JdkTlsConnector(clientContext, List.of("h2", "http/1.1"));
        site = Files.createTempDirectory("htx-bench-site");
        Files.writeString(site.resolve("index.html"), "<h1>bench</h1>");
        HtxServerConfig config = HtxServerConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new TlsIdentity.Context(serverTls),
                        serverStatic, List.of(ticketKey), new DecoySite.StaticDirectory(site))
                .withLimits(limits).withBehaviour(BehaviourPolicy.DISABLED).withKeyAgreement(serverAgreement)
                .withTicketRateLimit(new TicketRateLimit(1e9, 1_000_000_000, 1024, 10_000_000));
        server = HtxServer.bind(config);
        pool.submit(() -> {
            HtxConnection c;
            while ((c = server.accept(Duration.ofDays(1))) != null) {
                onConnection.accept(c);
            }
            return null;
        });
    }

    /** A TLS 1.3 client context that trusts exactly {@code cert} (the bench server's self-signed certificate). */
    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cert);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    HtxEndpoint endpoint() {
        return new HtxEndpoint("127.0.0.1", server.localAddress().getPort(), "localhost");
    }

    HtxConnection connect(HtxLimits limits, KeyAgreement agreement) throws IOException {
        HtxClientConfig cc = HtxClientConfig.of(clientTls).withLimits(limits).withBehaviour(BehaviourPolicy.DISABLED).withKeyAgreement(agreement);
        return HtxClient.connect(cc, endpoint(), serverStatic.publicKey(), ticketKey.ticketKey(), Duration.ofSeconds(30));
    }

    /** Accepts every stream of a connection and hands it to {@code handler} on its own virtual thread. */
    void serveStreams(HtxConnection c, Consumer<HtxStream> handler) {
        pool.submit(() -> {
            HtxStream s;
            while ((s = c.acceptStream(Duration.ofDays(1))) != null) {
                HtxStream st = s;
                pool.submit(() -> handler.accept(st));
            }
            return null;
        });
    }

    /** Reads a stream to its end, discarding; returns the byte count. */
    static long drain(InputStream in) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the benchmark closed the connection
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
        try (var files = Files.walk(site)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * A plain JDK TLS 1.3 client socket to {@code localhost:port} on loopback (TCP_NODELAY, SNI
     * "localhost"), handshake done: the baseline both throughput drivers compare HTX against.
     */
    static javax.net.ssl.SSLSocket tls13Client(SSLContext trust, int port) throws IOException {
        java.net.Socket tcp = new java.net.Socket();
        tcp.setTcpNoDelay(true);
        tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        javax.net.ssl.SSLSocket c = (javax.net.ssl.SSLSocket) trust.getSocketFactory().createSocket(tcp, "localhost", port, true);
        javax.net.ssl.SSLParameters p = c.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
        c.setSSLParameters(p);
        c.startHandshake();
        return c;
    }
}
