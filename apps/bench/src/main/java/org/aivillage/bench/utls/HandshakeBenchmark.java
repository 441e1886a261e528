package org.aivillage.bench.utls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.UtlsClient;
import org.aivillage.betanet.utls.UtlsConnection;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full TLS 1.3 handshakes per second against one in-process JDK TLS server on loopback (ECDSA
 * P-256 certificate, TCP connect + handshake + close per operation): the mirrored client with the
 * Chromium template (X25519MLKEM768 + X25519 shares), with the OpenSSL template (X25519 only),
 * and the JDK's own SSLSocket client (sessions invalidated so every handshake is a full one).
 * Every socket has TCP_NODELAY, as the mirrored client sets it: without it the server's
 * multi-write flight meets the client's delayed ACK and each handshake stalls for ~40 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class HandshakeBenchmark {
    private SSLServerSocket server;
    private ExecutorService executor;
    private X509TrustManager trust;
    private SSLContext jdkClient;
    private ClientHelloTemplate chromium;
    private ClientHelloTemplate openssl;
    private int port;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=utls.test"), BigInteger.ONE,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), new X500Name("CN=utls.test"),
                keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "utls.test")));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", keys.getPrivate(), "pw".toCharArray(), new java.security.cert.Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "pw".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLSv1.3");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        trust = UtlsClient.trustFrom(ts);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        jdkClient = SSLContext.getInstance("TLSv1.3");
        jdkClient.init(null, tmf.getTrustManagers(), null);
        chromium = ClientHelloTemplate.builtin("chromium");
        openssl = ClientHelloTemplate.builtin("openssl");

        server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        SSLParameters p = server.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        server.setSSLParameters(p);
        port = server.getLocalPort();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        executor.submit(() -> {
            while (!server.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) server.accept();
                    s.setTcpNoDelay(true);
                    executor.submit(() -> {
                        try (s) {
                            s.startHandshake();
                            s.getInputStream().read(); // until the client closes
                        } catch (IOException ignored) {
                            // client gone
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        server.close();
        executor.shutdownNow();
    }

    @Benchmark
    public int mirroredChromium() throws IOException {
        try (UtlsConnection c = UtlsClient.connect("127.0.0.1", port, "utls.test", chromium, trust,
                Duration.ofSeconds(10))) {
            return c.cipherSuite();
        }
    }

    @Benchmark
    public int mirroredOpenssl() throws IOException {
        try (UtlsConnection c = UtlsClient.connect("127.0.0.1", port, "utls.test", openssl, trust,
                Duration.ofSeconds(10))) {
            return c.cipherSuite();
        }
    }

    @Benchmark
    public int jdkClient() throws IOException {
        try (SSLSocket s = (SSLSocket) jdkClient.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setTcpNoDelay(true); // as the mirrored client does; otherwise Nagle + delayed ACK stall each handshake
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("utls.test")));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            s.getSession().invalidate();
            return s.getSession().getCipherSuite().length();
        }
    }
}
