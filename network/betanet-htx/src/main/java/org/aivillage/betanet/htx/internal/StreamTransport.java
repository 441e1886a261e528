package org.aivillage.betanet.htx.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * A {@link FrameTransport} over a pair of streams and whatever closes them (a TLS socket), with an
 * optional {@link FrameTransport.ReadyProbe} (null: one read when {@code input.available() > 0}, right for any
 * stream whose {@code available()} counts bytes a read returns at once).
 */
public record StreamTransport(InputStream input, OutputStream output, SocketAddress remoteAddress, Closeable closer,
        FrameTransport.ReadyProbe probe) implements FrameTransport {
    public StreamTransport(InputStream input, OutputStream output, SocketAddress remoteAddress, Closeable closer) {
        this(input, output, remoteAddress, closer, null);
    }

    @Override
    public int readyReads() throws IOException {
        return probe == null ? (input.available() > 0 ? 1 : 0) : probe.readyReads();
    }

    @Override
    public void close() throws IOException {
        closer.close();
    }
}
