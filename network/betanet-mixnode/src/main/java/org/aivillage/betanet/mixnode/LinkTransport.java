package org.aivillage.betanet.mixnode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How mixnet links are carried. Nodes and clients only see this interface: the daemons use the HTX
 * transport where it is available; tests may use the in-memory one.
 */
public interface LinkTransport extends AutoCloseable {

    /** Receives frames and close events of links (called on the link's reader thread; must not block long). */
    interface Handler {
        void onFrame(Link link, LinkFrame frame);

        default void onOpen(Link link) {}

        default void onClosed(Link link) {}
    }

    /** A listening endpoint; closing it stops accepting and closes the links it accepted. */
    interface Listener extends AutoCloseable {
        InetSocketAddress localAddress();

        @Override
        void close();
    }

    Listener listen(InetSocketAddress bind, Handler handler) throws IOException;

    /** Opens a link to {@code address} ("host:port"); {@code handler} receives what the peer sends back. */
    Link connect(String address, Handler handler, Duration timeout) throws IOException;

    /**
     * The address to publish in the topology for a listener bound at {@code local}: "host:port", plus
     * whatever a peer needs to connect (the HTX transport appends its keys).
     */
    default String advertise(InetSocketAddress local) {
        return local.getHostString() + ":" + local.getPort();
    }

    /** A short name for logs and metrics ("htx", "tcp"). */
    String name();

    @Override
    void close();
}
