package org.aivillage.betanet.htx.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/** A {@link FrameTransport} over a pair of streams and whatever closes them (a TLS socket). */
public record StreamTransport(InputStream input, OutputStream output, SocketAddress remoteAddress, Closeable closer)
        implements FrameTransport {
    @Override
    public void close() throws IOException {
        closer.close();
    }
}
