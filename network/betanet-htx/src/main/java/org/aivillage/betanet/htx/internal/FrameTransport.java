package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * The byte pipe under an HTX connection after the handshake. The frame layer only needs these
 * streams, so a transport other than TLS-over-TCP (a QUIC stream, an in-memory pipe) plugs in here.
 */
public interface FrameTransport {
    InputStream input();

    OutputStream output();

    SocketAddress remoteAddress();

    /** Closes the pipe; blocked reads and writes fail. Idempotent. */
    void close() throws IOException;
}
