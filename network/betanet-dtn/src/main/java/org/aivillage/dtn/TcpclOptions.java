package org.aivillage.dtn;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * TCPCLv4 session parameters (RFC 9174): keepalive interval (0 disables), the largest segment and
 * transfer this node accepts, how many transfers may await acknowledgement at once, and optional
 * TLS ({@code sslContext} non-null offers TLS; {@code requireTls} refuses sessions without it).
 *
 * <p>Over TLS the peer's certificate is checked against the Node ID it sends in SESS_INIT
 * (RFC 9174 §4.4.3): a certificate that names Node IDs (subjectAltName URIs with a {@code dtn} or
 * {@code ipn} scheme) must name that one, or the session is refused. A certificate that names none
 * is accepted unless {@code requireNodeIdCertificate} is set, which also refuses a peer that
 * presents no certificate at all (the passive side asks for one but does not demand it otherwise).
 */
public record TcpclOptions(Duration keepalive, long segmentMru, long transferMru, int window, SSLContext sslContext,
        boolean requireTls, Duration handshakeTimeout, boolean requireNodeIdCertificate) {

    public TcpclOptions {
        if (keepalive.isNegative() || keepalive.toSeconds() > 65_535) {
            throw new IllegalArgumentException("keepalive must be 0..65535 s");
        }
        if (segmentMru < 1024 || transferMru < segmentMru || window < 1) {
            throw new IllegalArgumentException("segment MRU >= 1024, transfer MRU >= segment MRU, window >= 1");
        }
        if (requireTls && sslContext == null) {
            throw new IllegalArgumentException("requireTls needs an SSLContext");
        }
        if (requireNodeIdCertificate && !requireTls) {
            throw new IllegalArgumentException("requireNodeIdCertificate needs requireTls");
        }
    }

    public static TcpclOptions defaults() {
        return new TcpclOptions(Duration.ofSeconds(30), 1 << 20, 64L << 20, 1024, null, false, Duration.ofSeconds(10), false);
    }

    public TcpclOptions withTls(SSLContext ctx, boolean require) {
        return new TcpclOptions(keepalive, segmentMru, transferMru, window, ctx, require, handshakeTimeout,
                require && requireNodeIdCertificate);
    }

    /** Requires TLS and a peer certificate that names the peer's Node ID (RFC 9174 §4.4.3). */
    public TcpclOptions withNodeIdCertificates(SSLContext ctx) {
        return new TcpclOptions(keepalive, segmentMru, transferMru, window, ctx, true, handshakeTimeout, true);
    }

    public TcpclOptions withKeepalive(Duration k) {
        return new TcpclOptions(k, segmentMru, transferMru, window, sslContext, requireTls, handshakeTimeout,
                requireNodeIdCertificate);
    }

    public TcpclOptions withSegmentMru(long mru) {
        return new TcpclOptions(keepalive, mru, Math.max(mru, transferMru), window, sslContext, requireTls, handshakeTimeout,
                requireNodeIdCertificate);
    }
}
