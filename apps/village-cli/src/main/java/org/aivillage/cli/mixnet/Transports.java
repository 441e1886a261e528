package org.aivillage.cli.mixnet;

import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;

/** The link transport the mixnet daemons and the client run on. */
final class Transports {
    private Transports() {}

    static LinkTransport create() {
        return new TcpLinkTransport();
    }
}
