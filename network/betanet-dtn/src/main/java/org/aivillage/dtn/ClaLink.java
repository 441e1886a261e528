package org.aivillage.dtn;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One link to a neighbour node through a {@link ConvergenceLayer}. Thread-safe. */
public interface ClaLink extends AutoCloseable {

    /** The neighbour's node ID (from the session handshake, or as configured). */
    EndpointId peerNodeId();

    String scheme();

    String remoteAddress();

    boolean isOpen();

    /**
     * Whether {@link #transmit} completes only once the neighbour acknowledged the whole bundle
     * (TCPCL XFER_ACK). For unreliable layers it completes when the bundle was handed to the network.
     */
    boolean reliable();

    /** Largest encoded bundle the link takes in one transmission (bigger ones are fragmented first). */
    long maxBundleSize();

    /**
     * Starts transmitting one encoded bundle. The future completes when the neighbour acknowledged
     * it (reliable links); it fails with {@link BundleRefusedException} if the neighbour refused it,
     * or with an {@link IOException} if the link failed first. Several transmissions may be in
     * flight at once; the link bounds how many and blocks the caller while the window is full.
     */
    CompletableFuture<Void> transmit(byte[] bundle) throws IOException;

    /** Transmits and waits for the outcome. */
    default void send(byte[] bundle, Duration timeout) throws IOException {
        CompletableFuture<Void> f = transmit(bundle);
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the acknowledgement");
        } catch (TimeoutException e) {
            throw new IOException("no acknowledgement within " + timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    void close();
}
