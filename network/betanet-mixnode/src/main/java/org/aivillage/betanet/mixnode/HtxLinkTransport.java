package org.aivillage.betanet.mixnode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.DecoySite;
import org.aivillage.betanet.htx.HtxClient;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxEndpoint;
import org.aivillage.betanet.htx.HtxServer;
import org.aivillage.betanet.htx.HtxServerConfig;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TicketKey;
import org.aivillage.betanet.htx.TlsIdentity;
import org.aivillage.betanet.mixnode.internal.StreamLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mixnet links over HTX (Betanet §5): every link is one HTX stream; connections are pooled, one per
 * peer address, and reopened when they close. A node's listener is an HTX server, so to anyone without
 * an access ticket it is the decoy site. The HTX keys a peer needs (its Noise static key and ticket
 * key) travel in the signed topology as part of the node's address:
 * {@code host:port#<static key hex>/<ticket key id hex>:<ticket public key hex>} ({@link #advertise}).
 */
public final class HtxLinkTransport implements LinkTransport {
    private static final Logger log = LoggerFactory.getLogger(HtxLinkTransport.class);

    /** What a listening node needs: its TLS identity, decoy site, and (generated when null) HTX keys. */
    public record ServerSide(TlsIdentity tls, DecoySite decoy, KeyPair staticKey, TicketIssuerKey ticketKey) {
        public ServerSide(TlsIdentity tls, DecoySite decoy) {
            this(tls, decoy, X25519.generateKeyPair(), TicketIssuerKey.generate());
        }
    }

    private final ServerSide server;
    private final HtxClientConfig client;
    private final Map<String, HtxConnection> pool = new ConcurrentHashMap<>();
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

    /** A transport that can connect (client) and, with a {@link ServerSide}, listen (node). */
    public HtxLinkTransport(HtxClientConfig client, ServerSide server) {
        this.client = client;
        this.server = server;
    }

    @Override
    public String advertise(InetSocketAddress local) {
        String base = LinkTransport.super.advertise(local);
        if (server == null) {
            return base;
        }
        return base + "#" + HexFormat.of().formatHex(server.staticKey().publicKey()) + "/" + server.ticketKey().ticketKey().toHex();
    }

    @Override
    public Listener listen(InetSocketAddress bind, Handler handler) throws IOException {
        if (server == null) {
            throw new IOException("this HTX transport has no server identity");
        }
        HtxServer htx = HtxServer.bind(HtxServerConfig.of(bind, server.tls(), server.staticKey(), List.of(server.ticketKey()),
                server.decoy()));
        Set<Link> accepted = ConcurrentHashMap.newKeySet();
        Thread acceptor = Thread.ofVirtual().name("htx-accept " + htx.localAddress()).start(() -> {
            while (true) {
                HtxConnection c;
                try {
                    c = htx.accept(Duration.ofSeconds(1));
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted() || e instanceof java.io.InterruptedIOException) {
                        return;
                    }
                    log.debug("HTX accept: {}", e.toString());
                    continue;
                }
                if (c == null) {
                    return;
                }
                Thread.ofVirtual().name("htx-streams " + c.remoteAddress()).start(() -> serveStreams(c, handler, accepted));
            }
        });
        Listener l = new Listener() {
            @Override
            public InetSocketAddress localAddress() {
                return htx.localAddress();
            }

            @Override
            public void close() {
                htx.close();
                acceptor.interrupt();
                accepted.forEach(Link::close);
                open.remove(this);
            }
        };
        open.add(l);
        return l;
    }

    private void serveStreams(HtxConnection c, Handler handler, Set<Link> accepted) {
        InetAddress remote = c.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
        while (c.isOpen()) {
            HtxStream s;
            try {
                s = c.acceptStream(Duration.ofSeconds(5));
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                break;
            }
            if (s == null) {
                break;
            }
            accepted.add(link(s, remote, "htx " + c.remoteAddress() + "/" + s.id(), handler, accepted));
        }
    }

    private static Link link(HtxStream s, InetAddress remote, String desc, Handler handler, Set<Link> registry) {
        Handler h = new Handler() {
            @Override
            public void onFrame(Link link, LinkFrame frame) {
                handler.onFrame(link, frame);
            }

            @Override
            public void onOpen(Link link) {
                handler.onOpen(link);
            }

            @Override
            public void onClosed(Link link) {
                registry.remove(link);
                handler.onClosed(link);
            }
        };
        return new StreamLink(s.inputStream(), s.outputStream(), s, remote, desc, h, StreamLink.DEFAULT_QUEUE).start();
    }

    /** The parts of an HTX node address. */
    record Target(String host, int port, byte[] staticKey, TicketKey ticketKey) {}

    static Target parse(String address) throws IOException {
        int hash = address.indexOf('#');
        int slash = address.indexOf('/', hash + 1);
        if (hash < 0 || slash < 0) {
            throw new IOException("not an HTX node address (host:port#staticKey/ticketKey): " + address);
        }
        String hostPort = address.substring(0, hash);
        int colon = hostPort.lastIndexOf(':');
        try {
            byte[] key = HexFormat.of().parseHex(address.substring(hash + 1, slash));
            if (key.length != 32 || colon <= 0) {
                throw new IllegalArgumentException("bad key or port");
            }
            return new Target(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), key,
                    TicketKey.fromHex(address.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed HTX node address " + address + ": " + e.getMessage());
        }
    }

    @Override
    public Link connect(String address, Handler handler, Duration timeout) throws IOException {
        Target t = parse(address);
        HtxConnection c;
        synchronized (pool) {
            c = pool.get(address);
            if (c == null || !c.isOpen()) {
                c = HtxClient.connect(client, new HtxEndpoint(t.host(), t.port(), t.host()), t.staticKey(), t.ticketKey(), timeout);
                pool.put(address, c);
            }
        }
        HtxStream s = c.openStream(timeout);
        InetAddress remote = c.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
        Set<Link> mine = ConcurrentHashMap.newKeySet();
        Link l = link(s, remote, "htx " + t.host() + ":" + t.port() + "/" + s.id(), handler, mine);
        open.add(l);
        return l;
    }

    @Override
    public String name() {
        return "htx";
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        open.clear();
        pool.values().forEach(HtxConnection::close);
        pool.clear();
    }
}
