package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.aivillage.betanet.htx.internal.PemFiles;

/**
 * The outer TLS client on the JDK's TLS 1.3 (SSLSocket): SNI = the endpoint's serverName, host
 * name verified against the certificate, ALPN {@code h2, http/1.1}, the §7.5 exporter through
 * {@link ExtendedSSLSession#exportKeyingMaterialData}. Its ClientHello is the JDK's, not a
 * browser's: betanet-utls supplies the mirrored one through {@link OuterTlsConnector}.
 */
public final class JdkTlsConnector implements OuterTlsConnector {
    private final SSLContext context;
    private final List<String> alpn;

    public JdkTlsConnector(SSLContext context, List<String> alpn) {
        this.context = context;
        this.alpn = List.copyOf(alpn);
    }

    /** The JDK's default trust store. */
    public static JdkTlsConnector withDefaultTrust() {
        try {
            return new JdkTlsConnector(SSLContext.getDefault(), List.of("h2", "http/1.1"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK has no default TLS context", e);
        }
    }

    /** Trusts only certificates issued by {@code ca} (a private CA, tests). */
    public static JdkTlsConnector trusting(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, tmf.getTrustManagers(), null);
            return new JdkTlsConnector(ctx, List.of("h2", "http/1.1"));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build a trust store from the CA certificate", e);
        }
    }

    /** Trusts the CA certificate(s) in a PEM file. */
    public static JdkTlsConnector trustingPem(Path caPem) throws IOException {
        List<X509Certificate> certs = PemFiles.readCertificates(caPem);
        if (certs.isEmpty()) {
            throw new IOException("no certificate in " + caPem);
        }
        return trusting(certs.getFirst());
    }

    @Override
    public OuterTlsConnection connect(HtxEndpoint endpoint, Duration timeout) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) Math.max(1, timeout.toMillis()));
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, endpoint.serverName(), endpoint.port(), true);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3"});
            p.setApplicationProtocols(alpn.toArray(String[]::new));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(endpoint.serverName().charAt(0)) && !endpoint.serverName().contains(":")) {
                p.setServerNames(List.of(new SNIHostName(endpoint.serverName())));
            }
            tls.setSSLParameters(p);
            tls.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            tls.startHandshake();
            tls.setSoTimeout(0);
            return new JdkTlsConnection(tls, tcp);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** An established JDK TLS connection (client or server side). */
    public static final class JdkTlsConnection implements OuterTlsConnection {
        private final SSLSocket socket;
        private final Socket tcp;

        public JdkTlsConnection(SSLSocket socket) {
            this(socket, null);
        }

        /** {@code tcp}: the socket under a layered {@code socket}; lets HTX see whether a whole TLS record waits in it. */
        public JdkTlsConnection(SSLSocket socket, Socket tcp) {
            this.socket = socket;
            this.tcp = tcp;
        }

        /** The TCP socket under the TLS socket, or null when unknown. */
        Socket tcp() {
            return tcp;
        }

        public SSLSocket socket() {
            return socket;
        }

        @Override
        public InputStream inputStream() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream outputStream() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public byte[] exportKeyingMaterial(String label, byte[] context, int length) throws IOException {
            return exporter(socket, label, context, length);
        }

        @Override
        public String negotiatedAlpn() {
            String a = socket.getApplicationProtocol();
            return a == null || a.isEmpty() ? null : a;
        }

        @Override
        public SocketAddress remoteAddress() {
            return socket.getRemoteSocketAddress();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The RFC 8446 §7.5 exporter of an established JDK TLS 1.3 socket. */
    public static byte[] exporter(SSLSocket socket, String label, byte[] context, int length) throws IOException {
        SSLSession session = socket.getSession();
        if (!(session instanceof ExtendedSSLSession ext) || !"TLSv1.3".equals(session.getProtocol())) {
            throw new HtxHandshakeException("outer TLS is not TLS 1.3 with an exporter (" + session.getProtocol() + ")");
        }
        byte[] out = ext.exportKeyingMaterialData(label, context, length);
        if (out == null) {
            throw new HtxHandshakeException("TLS exporter unavailable");
        }
        return out;
    }
}
