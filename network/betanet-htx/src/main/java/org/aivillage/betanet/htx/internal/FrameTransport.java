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

    /** How many of the next reads of {@link #input()} return without waiting for the peer. */
    @FunctionalInterface
    interface ReadyProbe {
        /**
         * A lower bound on the number of next reads sure to return without waiting (0 when unsure);
         * the bytes waiting can only grow until those reads take them.
         */
        int readyReads() throws IOException;

        /** True only when the next read is sure to return without waiting; false when unsure. */
        default boolean inputReady() throws IOException {
            return readyReads() > 0;
        }
    }

    InputStream input();

    OutputStream output();

    SocketAddress remoteAddress();

    /**
     * A lower bound on how many of the next reads of {@link #input()} return without waiting for
     * the peer; 0 when unsure. The engine uses it to batch wake-ups of stream readers, and wakes
     * them all before any read that might wait, so too high a count would delay delivery: never
     * guess.
     */
    default int readyReads() throws IOException {
        return input().available() > 0 ? 1 : 0;
    }

    /** True only when the next read of {@link #input()} returns without waiting for the peer. */
    default boolean inputReady() throws IOException {
        return readyReads() > 0;
    }

    /** Closes the pipe; blocked reads and writes fail. Idempotent. */
    void close() throws IOException;

    /**
     * The probe for TLS over a socket: bytes already decrypted in {@code tlsInput} (one read), and
     * one read per largest record waiting in the socket under it ({@code rawInput}: a TLS read reads
     * exactly one record, so it cannot then wait). One {@code available()} of the socket (an ioctl)
     * thus vouches for many reads of a bulk transfer instead of one.
     */
    static ReadyProbe tlsProbe(InputStream tlsInput, InputStream rawInput) {
        return () -> (tlsInput.available() > 0 ? 1 : 0) + rawInput.available() / MAX_TLS_RECORD;
    }
}
