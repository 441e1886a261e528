package org.aivillage.betanet.htx;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * One HTX connection: an encrypted, authenticated, flow-controlled carrier of many
 * bidirectional byte streams. Client-opened streams have odd ids, server-opened even ids.
 * Thread-safe; blocking calls take a timeout.
 */
public interface HtxConnection extends AutoCloseable {

    /**
     * A new locally initiated stream. The peer learns of it with its first data (or FIN). Waits
     * while the peer's stream limit is reached.
     *
     * @throws java.net.SocketTimeoutException when no stream slot frees up within {@code timeout}
     * @throws HtxException when the connection is closed
     */
    HtxStream openStream(Duration timeout) throws IOException;

    /** {@link #openStream(Duration)} with a 30 s timeout. */
    default HtxStream openStream() throws IOException {
        return openStream(Duration.ofSeconds(30));
    }

    /**
     * The next stream the peer opened, waiting up to {@code timeout}.
     *
     * @return the stream, or null when the connection has closed and no opened stream is left
     * @throws java.net.SocketTimeoutException when none arrived within {@code timeout}
     */
    HtxStream acceptStream(Duration timeout) throws IOException;

    /** Sends a PING and waits for its ACK; returns the round-trip time. */
    Duration ping(Duration timeout) throws IOException;

    boolean isOpen();

    /** Why the connection closed (peer CLOSE reason, protocol error, transport end), or null while open. */
    String closeReason();

    /** The inner key agreement the handshake settled on. */
    KeyAgreement keyAgreement();

    /** True on the side that connected. */
    boolean isClient();

    SocketAddress remoteAddress();

    HtxConnectionStats stats();

    /** Sends CLOSE and closes the transport; open streams fail. Idempotent. */
    @Override
    void close();
}
