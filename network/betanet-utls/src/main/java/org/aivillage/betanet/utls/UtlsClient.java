package org.aivillage.betanet.utls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.utls.internal.TlsEngine;

/**
 * Opens TLS 1.3 connections whose ClientHello is built from a {@link ClientHelloTemplate}, so the
 * connection looks like the browser the template was captured from. TLS 1.2 servers are refused
 * with a clear {@link UtlsHandshakeException} (protocol_version). Thread-safe and stateless.
 */
public final class UtlsClient {
    private UtlsClient() {}

    /** Connects to {@code host:port} and runs the handshake with {@code serverName} as SNI and identity. */
    public static UtlsConnection connect(String host, int port, String serverName, ClientHelloTemplate template,
            X509TrustManager trust, Duration timeout) throws IOException {
        Objects.requireNonNull(host, "host");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return connect(socket, serverName, template, trust, timeout);
    }

    /**
     * Runs the handshake over an already connected socket, which the returned connection owns (it
     * is closed on failure too).
     *
     * @param serverName the host name sent as SNI (omitted for IP literals, as browsers do) and
     *                   checked against the certificate
     * @param trust PKIX trust anchors, e.g. {@link #systemTrust()}
     * @param timeout bound on the whole handshake
     */
    public static UtlsConnection connect(Socket socket, String serverName, ClientHelloTemplate template,
            X509TrustManager trust, Duration timeout) throws IOException {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(timeout, "timeout");
        TlsEngine engine;
        try {
            engine = new TlsEngine(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        engine.handshake(template, serverName, trust, timeout);
        return new UtlsConnection(engine);
    }

    /** The JDK's default trust manager (the cacerts store). */
    public static X509TrustManager systemTrust() {
        return trustFrom(null);
    }

    /** A PKIX trust manager over the anchors in {@code keyStore} (null: the JDK default store). */
    public static X509TrustManager trustFrom(KeyStore keyStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager available");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("trust store unusable: " + e.getMessage(), e);
        }
    }
}
