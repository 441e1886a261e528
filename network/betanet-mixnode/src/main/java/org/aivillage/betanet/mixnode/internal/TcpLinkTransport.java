package org.aivillage.betanet.mixnode.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.betanet.mixnode.Link;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mixnet links over plain TCP: the framing of {@link StreamLink} on a socket, no transport
 * encryption or cover (Sphinx packets are end-to-end encrypted already). Used by tests and benchmarks
 * that measure the mixnet without the HTX layer; the daemons run on HTX.
 */
public final class TcpLinkTransport implements LinkTransport {
    private static final Logger log = LoggerFactory.getLogger(TcpLinkTransport.class);
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private final Set<Link> connected = ConcurrentHashMap.newKeySet();
    private final int queueCapacity;

    public TcpLinkTransport() {
        this(StreamLink.DEFAULT_QUEUE);
    }

    public TcpLinkTransport(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    @Override
    public Listener listen(InetSocketAddress bind, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 256);
        Set<Link> accepted = ConcurrentHashMap.newKeySet();
        Thread acceptor = Thread.ofVirtual().name("tcp-accept " + server.getLocalSocketAddress()).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Link link = wrap(s, handler, accepted);
                    accepted.add(link);
                } catch (SocketException e) {
                    break;
                } catch (IOException e) {
                    log.debug("accept failed: {}", e.toString());
                }
            }
        });
        Listener l = new Listener() {
            @Override
            public InetSocketAddress localAddress() {
                return (InetSocketAddress) server.getLocalSocketAddress();
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                acceptor.interrupt();
                accepted.forEach(Link::close);
                open.remove(this);
            }
        };
        open.add(l);
        return l;
    }

    private Link wrap(Socket s, Handler handler, Set<Link> registry) throws IOException {
        String desc = "tcp " + s.getRemoteSocketAddress();
        Handler h = new Handler() {
            @Override
            public void onFrame(Link link, org.aivillage.betanet.mixnode.LinkFrame frame) {
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
        return new StreamLink(s.getInputStream(), s.getOutputStream(), s, s.getInetAddress(), desc, h, queueCapacity).start();
    }

    @Override
    public Link connect(String address, Handler handler, Duration timeout) throws IOException {
        InetSocketAddress a = parse(address);
        Socket s = new Socket();
        try {
            s.connect(a, (int) Math.max(1, timeout.toMillis()));
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        Link link = wrap(s, handler, connected);
        connected.add(link);
        return link;
    }

    public static InetSocketAddress parse(String address) {
        int hash = address.indexOf('#');
        if (hash >= 0) {
            address = address.substring(0, hash);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address must be host:port: " + address);
        }
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    @Override
    public String name() {
        return "tcp";
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
        connected.forEach(Link::close);
        connected.clear();
    }
}
