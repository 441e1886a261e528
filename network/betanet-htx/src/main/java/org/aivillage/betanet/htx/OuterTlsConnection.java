package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * A client's established outer TLS 1.3 connection (Betanet 1.1 §5.1), as HTX needs it: the byte
 * streams and the RFC 8446 §7.5 exporter. Implemented on the JDK ({@link JdkTlsConnector}) and by
 * betanet-utls' browser-mirrored client.
 */
public interface OuterTlsConnection extends AutoCloseable {
    InputStream inputStream() throws IOException;

    OutputStream outputStream() throws IOException;

    /** TLS-Exporter(label, context, length) of this session (RFC 8446 §7.5). */
    byte[] exportKeyingMaterial(String label, byte[] context, int length) throws IOException;

    /** The ALPN protocol the server selected, or null. */
    String negotiatedAlpn();

    SocketAddress remoteAddress();

    @Override
    void close() throws IOException;
}
