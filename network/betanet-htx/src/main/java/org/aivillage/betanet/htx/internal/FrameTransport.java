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
    /**
     * The largest TLS 1.3 record on the wire (RFC 8446 §5.2: 5-byte header, at most 2^14 + 256
     * bytes of ciphertext). When this many bytes wait in the socket, a TLS read returns at once.
     */
    int MAX_TLS_RECORD = 5 + 16_384 + 256;

    /** Whether the next read of {@link #input()} can return without waiting for the peer. */
    @FunctionalInterface
    interface ReadyProbe {
        /** True only when the next read is sure to return without waiting; false when unsure. */
        boolean inputReady() throws IOException;
    }

    InputStream input();

    OutputStream output();

    SocketAddress remoteAddress();

    /**
     * True only when the next read of {@link #input()} returns without waiting for the peer; false
     * when unsure. The engine uses it to batch wake-ups of stream readers, and wakes them all before
     * any read that might wait, so a wrong {@code true} would delay delivery: never guess.
     */
    default boolean inputReady() throws IOException {
        return input().available() > 0;
    }

    /** Closes the pipe; blocked reads and writes fail. Idempotent. */
    void close() throws IOException;

    /**
     * The probe for TLS over a socket: bytes already decrypted in {@code tlsInput}, or a whole
     * largest record waiting in the socket under it ({@code rawInput}: a TLS read reads exactly one
     * record, so it cannot then wait).
     */
    static ReadyProbe tlsProbe(InputStream tlsInput, InputStream rawInput) {
        return () -> tlsInput.available() > 0 || rawInput.available() >= MAX_TLS_RECORD;
    }
}
