package org.aivillage.betanet.mixnode;

import java.net.InetAddress;

/**
 * One mixnet link to a peer (a node or a client). Sending never blocks on the network: frames go to a
 * bounded per-link queue and {@link #send} returns false when it is full (the caller counts a drop).
 */
public interface Link extends AutoCloseable {
    boolean send(LinkFrame frame);

    /** The peer's network address, for per-source limits and logs. */
    InetAddress remoteAddress();

    String describe();

    boolean isOpen();

    @Override
    void close();
}
