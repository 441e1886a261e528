package org.aivillage.dtn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.dtn.internal.TcpclSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP convergence layer version 4 (RFC 9174). Listens on {@code bindAddress:port} (port 0 picks a
 * free port; 4556 is the registered one) and opens sessions to {@code host:port} addresses. One
 * virtual thread per session reads; writers share a lock per session.
 */
public final class TcpclConvergenceLayer implements ConvergenceLayer {
    private static final Logger LOG = LoggerFactory.getLogger(TcpclConvergenceLayer.class);
    public static final int DEFAULT_PORT = 4556;

    private final EndpointId localNode;
    private final TcpclOptions options;
    private final InetAddress bindAddress;
    private final int port;
    private final Set<TcpclSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile ClaListener listener;
    private volatile boolean closed;

    public TcpclConvergenceLayer(EndpointId localNode, InetAddress bindAddress, int port, TcpclOptions options) {
        this.localNode = localNode.node();
        this.bindAddress = bindAddress;
        this.port = port;
        this.options = options;
    }

    @Override
    public String scheme() {
        return "tcpcl";
    }

    @Override
    public void start(ClaListener l) throws IOException {
        this.listener = l;
        if (port < 0) {
            return; // outgoing only
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bindAddress, port), 128);
        server = s;
        Thread.ofVirtual().name("tcpcl-accept").start(this::acceptLoop);
        LOG.info("TCPCLv4 listening on {}", localAddress());
    }

    @Override
    public String localAddress() {
        ServerSocket s = server;
        return s == null ? null : s.getInetAddress().getHostAddress() + ":" + s.getLocalPort();
    }

    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket sock;
            try {
                sock = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("TCPCL accept failed: {}", e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("tcpcl-handshake").start(() -> {
                TcpclSession session = new TcpclSession(sock, false, localNode, options);
                try {
                    session.handshake(null);
                    register(session);
                } catch (IOException e) {
                    LOG.debug("incoming TCPCL handshake from {} failed: {}", sock.getRemoteSocketAddress(), e.getMessage());
                    try {
                        sock.close();
                    } catch (IOException ignored) {
                        // nothing more to do
                    }
                }
            });
        }
    }

    private void register(TcpclSession session) {
        if (closed) {
            session.close();
            return;
        }
        sessions.add(session);
        ClaListener l = listener;
        session.start(new ClaListener() {
            @Override
            public void linkUp(ClaLink link) {
                l.linkUp(link);
            }

            @Override
            public void linkDown(ClaLink link) {
                sessions.remove(session);
                l.linkDown(link);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> bundleReceived(ClaLink link, byte[] bundle) {
                return l.bundleReceived(link, bundle);
            }
        });
    }

    @Override
    public ClaLink connect(String address, EndpointId expectedPeer, Duration timeout) throws IOException {
        if (listener == null) {
            throw new IllegalStateException("start the convergence layer first");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("TCPCL address must be host:port: " + address);
        }
        String host = address.substring(0, colon);
        int p = Integer.parseInt(address.substring(colon + 1));
        Socket sock = new Socket();
        try {
            sock.connect(new InetSocketAddress(host, p), (int) timeout.toMillis());
            TcpclSession session = new TcpclSession(sock, true, localNode, options);
            session.handshake(expectedPeer);
            register(session);
            return session;
        } catch (IOException e) {
            sock.close();
            throw e;
        }
    }

    /** Sessions currently open. */
    public Set<? extends ClaLink> sessions() {
        return Set.copyOf(sessions);
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (TcpclSession session : sessions) {
            session.close();
        }
    }
}
