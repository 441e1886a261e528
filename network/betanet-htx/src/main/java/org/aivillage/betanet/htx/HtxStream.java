package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One bidirectional byte stream of an {@link HtxConnection}. Each {@code write} becomes one or
 * more STREAM frames sent at once (wrap the output in a BufferedOutputStream for many small
 * writes). Reads block until data, end of stream (the peer's FIN) or the read timeout.
 */
public interface HtxStream extends AutoCloseable {

    long id();

    /** Data from the peer; -1 after its FIN. Read timeouts throw java.net.SocketTimeoutException. */
    InputStream inputStream();

    /** Data to the peer; {@code close()} on it is {@link #shutdownOutput()}. */
    OutputStream outputStream();

    /** Half-close: sends FIN; the peer reads end of stream, this side can still read. Idempotent. */
    void shutdownOutput() throws IOException;

    /** Read timeout; null or zero = wait forever. */
    void setReadTimeout(Duration timeout);

    /** How long a write waits for flow-control credit; null or zero = forever. */
    void setWriteTimeout(Duration timeout);

    boolean isLocallyInitiated();

    HtxConnection connection();

    /**
     * Sends FIN if not yet sent and stops reading: data still arriving is discarded (and
     * credited, so the peer is not stalled). Never throws.
     */
    @Override
    void close();
}
