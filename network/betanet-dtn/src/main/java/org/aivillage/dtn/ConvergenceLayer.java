package org.aivillage.dtn;

import java.io.IOException;
import java.time.Duration;

/**
 * A convergence layer adapter: carries encoded bundles between this node and neighbours over one
 * kind of link (TCPCLv4, UDP; later HTX, the mixnet and BitChat). Implementations accept incoming
 * links after {@link #start} and open outgoing ones with {@link #connect}; each link reports to the
 * {@link ClaListener} given to {@code start}. Thread-safe; closing stops accepting and closes all links.
 */
public interface ConvergenceLayer extends AutoCloseable {

    /** Short scheme name used in peer addresses and metrics: {@code tcpcl}, {@code udpcl}, ... */
    String scheme();

    /** Begins accepting incoming links; links and received bundles are reported to {@code listener}. */
    void start(ClaListener listener) throws IOException;

    /**
     * Opens a link to {@code address} ({@code host:port} for the IP layers). {@code expectedPeer}
     * is the neighbour's node ID if known (required by layers without a handshake, checked by
     * those with one; null when unknown). Blocks up to {@code timeout}.
     */
    ClaLink connect(String address, EndpointId expectedPeer, Duration timeout) throws IOException;

    /** The local address the layer listens on ({@code host:port}), or null before {@link #start}. */
    String localAddress();

    @Override
    void close();
}
