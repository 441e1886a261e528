package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.UtlsClient;
import org.aivillage.betanet.utls.UtlsConnection;

/**
 * The outer TLS through betanet-utls: a ClientHello mirrored from a browser template (§5.1), SNI
 * and certificate check against the endpoint's serverName, the RFC 8446 §7.5 exporter from the
 * utls engine. Origin calibration stays with betanet-utls ({@code OriginCalibrator}); run it before
 * connecting when the deployment requires it.
 */
public final class UtlsConnector implements OuterTlsConnector {
    private final ClientHelloTemplate template;
    private final X509TrustManager trust;

    public UtlsConnector(ClientHelloTemplate template, X509TrustManager trust) {
        this.template = Objects.requireNonNull(template, "template");
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** A shipped template ("chromium", "firefox-esr", "openssl") with the system trust store. */
    public static UtlsConnector builtin(String templateName) {
        return new UtlsConnector(ClientHelloTemplate.builtin(templateName), UtlsClient.systemTrust());
    }

    @Override
    public OuterTlsConnection connect(HtxEndpoint endpoint, Duration timeout) throws IOException {
        UtlsConnection c = UtlsClient.connect(endpoint.host(), endpoint.port(), endpoint.serverName(), template, trust, timeout);
        return new OuterTlsConnection() {
            @Override
            public InputStream inputStream() {
                return c.getInputStream();
            }

            @Override
            public OutputStream outputStream() {
                return c.getOutputStream();
            }

            @Override
            public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
                return c.exportKeyingMaterial(label, context, length);
            }

            @Override
            public String negotiatedAlpn() {
                return c.negotiatedAlpn().orElse(null);
            }

            @Override
            public SocketAddress remoteAddress() {
                return c.socket().getRemoteSocketAddress();
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }
}
