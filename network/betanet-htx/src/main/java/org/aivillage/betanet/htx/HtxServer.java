package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.aivillage.betanet.htx.internal.Connection;
import org.aivillage.betanet.htx.internal.FrameTransport;
import org.aivillage.betanet.htx.internal.HtxMetrics;
import org.aivillage.betanet.htx.internal.InnerHandshake;
import org.aivillage.betanet.htx.internal.KeySchedule;
import org.aivillage.betanet.htx.internal.NoiseSession;
import org.aivillage.betanet.htx.internal.NoiseXk;
import org.aivillage.betanet.htx.internal.PrefixedInputStream;
import org.aivillage.betanet.htx.internal.RequestSniffer;
import org.aivillage.betanet.htx.internal.ReverseProxy;
import org.aivillage.betanet.htx.internal.StaticSite;
import org.aivillage.betanet.htx.internal.StreamTransport;
import org.aivillage.betanet.htx.internal.TicketCarriers;
import org.aivillage.betanet.htx.internal.ReplayCache;
import org.aivillage.betanet.htx.internal.TicketVerifier;
import org.aivillage.betanet.htx.internal.Watchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTX server (Betanet 1.1 §5): outer TLS 1.3 on TCP with a real certificate chain; the first
 * HTTP request of each connection is checked for an access ticket; a valid ticket switches the
 * connection to the inner Noise XK handshake and HTX frames, anything else gets the decoy site
 * with the exact bytes the client sent. Established HTX connections are taken with
 * {@link #accept(Duration)}. One virtual thread per connection; thread-safe.
 */
public final class HtxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HtxServer.class);

    private final HtxServerConfig config;
    private final ServerSocket listener;
    private final SSLSocketFactory tlsFactory;
    private final HtxMetrics metrics;
    private final TicketVerifier verifier;
    private final ReplayCache replay;
    private final StaticSite staticSite;
    private final ReverseProxy proxy;
    private final NoiseSession.Factory noise;
    private final ArrayBlockingQueue<Connection> ready;
    private final Semaphore slots;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread acceptor;

    private HtxServer(HtxServerConfig config, NoiseSession.Factory noise) throws IOException {
        this.config = config;
        this.noise = noise;
        SSLContext ctx = config.tls().sslContext();
        this.tlsFactory = ctx.getSocketFactory();
        this.metrics = HtxMetrics.of(config.metrics(), "server");
        this.staticSite = config.decoy() instanceof DecoySite.StaticDirectory sd ? new StaticSite(sd, config.clock()) : null;
        this.proxy = config.decoy() instanceof DecoySite.ReverseProxy rp ? new ReverseProxy(rp) : null;
        this.ready = new ArrayBlockingQueue<>(config.limits().acceptBacklog());
        this.slots = new Semaphore(config.limits().maxConnections());
        int replayBound = config.ticketRateLimit().replayCacheEntries();
        this.replay = config.replayStore() != null ? ReplayCache.open(config.replayStore(), config.clock(), replayBound)
                : ReplayCache.inMemory(config.clock(), replayBound);
        this.verifier = new TicketVerifier(config.ticketKeys(), config.clock(), config.ticketRateLimit(), System::nanoTime, replay);
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(config.bind(), 512);
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
            }
            replay.close();
            throw e;
        }
        this.listener = socket;
    }

    /** Binds and starts accepting TCP connections. */
    public static HtxServer bind(HtxServerConfig config) throws IOException {
        return bind(config, NoiseXk.factory());
    }

    static HtxServer bind(HtxServerConfig config, NoiseSession.Factory noise) throws IOException {
        HtxServer s = new HtxServer(config, noise);
        s.acceptor = Thread.ofVirtual().name("htx-server-accept").start(s::acceptLoop);
        log.info("HTX server on {} (decoy: {}, inner key agreement: {})", s.localAddress(), config.decoy(), config.effectiveKeyAgreement());
        return s;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /**
     * The next established HTX connection.
     *
     * @return the connection, or null once the server is closed
     * @throws SocketTimeoutException when none arrived within {@code timeout}
     */
    public HtxConnection accept(Duration timeout) throws IOException {
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                Connection c = ready.poll(Math.min(timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (c != null) {
                    return c;
                }
                timeout = timeout.minusMillis(200);
                if (timeout.isNegative() || timeout.isZero()) {
                    throw new SocketTimeoutException("no HTX connection within the timeout");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** Open HTX connections (accepted or waiting). */
    public int connectionCount() {
        connections.removeIf(c -> !c.isOpen());
        return connections.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("closing listener: {}", e.toString());
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        for (Connection c : connections) {
            c.close();
        }
        Connection c;
        while ((c = ready.poll()) != null) {
            c.close();
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replay.close();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket raw;
            try {
                raw = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("HTX accept failed: {}", e.toString());
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                log.info("HTX server at its connection limit ({}); closing {}", config.limits().maxConnections(), raw.getRemoteSocketAddress());
                closeQuietly(raw);
                continue;
            }
            sockets.add(raw);
            Thread.ofVirtual().name("htx-server-conn").start(() -> {
                try {
                    handle(raw);
                } finally {
                    sockets.remove(raw);
                    slots.release();
                }
            });
        }
    }

    private void handle(Socket raw) {
        SSLSocket tls = null;
        boolean handedOff = false;
        try {
            raw.setTcpNoDelay(true);
            tls = (SSLSocket) tlsFactory.createSocket(raw, null, raw.getPort(), true);
            tls.setUseClientMode(false);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3"});
            tls.setSSLParameters(p);
            // Serve HTTP/1.1 (what the decoy speaks); never abort the handshake over ALPN.
            tls.setHandshakeApplicationProtocolSelector((s, offered) -> offered.contains("http/1.1") ? "http/1.1" : "");
            Duration hsTimeout = config.limits().handshakeTimeout();
            tls.setSoTimeout((int) hsTimeout.toMillis());
            tls.startHandshake();
            tls.setSoTimeout((int) sniffTimeout().toMillis());
            InputStream in = tls.getInputStream();
            OutputStream out = tls.getOutputStream();
            RequestSniffer.Sniffed sniffed = RequestSniffer.sniff(in);
            TicketVerifier.Verdict verdict = check(sniffed, raw);
            if (!verdict.accepted()) {
                metrics.ticketRejected(verdict.rejection());
                metrics.connectionsDecoy.increment();
                log.debug("HTX: decoy for {} ({})", raw.getRemoteSocketAddress(), verdict.rejection().tag());
                serveDecoy(new PrefixedInputStream(sniffed.bytes(), 0, sniffed.length(), in), out, tls, sniffed);
                return;
            }
            InputStream rest = new PrefixedInputStream(sniffed.bytes(), sniffed.requestLength(), sniffed.length() - sniffed.requestLength(), in);
            byte[] exporter = org.aivillage.betanet.htx.JdkTlsConnector.exporter(tls, KeySchedule.EXPORTER_LABEL,
                    KeySchedule.EXPORTER_CONTEXT, KeySchedule.EXPORTER_LENGTH);
            SSLSocket t = tls;
            InnerHandshake.Result r;
            tls.setSoTimeout((int) hsTimeout.toMillis());
            try (Watchdog w = Watchdog.arm(hsTimeout, () -> closeQuietly(t))) {
                r = InnerHandshake.server(rest, out, exporter, config.staticKey(), config.effectiveKeyAgreement(), config.limits(),
                        config.rekey(), System::nanoTime, noise);
                if (!w.disarm()) {
                    throw new SocketTimeoutException("inner handshake exceeded " + hsTimeout);
                }
            } finally {
                java.util.Arrays.fill(exporter, (byte) 0);
            }
            tls.setSoTimeout(0);
            Connection c = Connection.start(Connection.Role.SERVER, new StreamTransport(rest, out, raw.getRemoteSocketAddress(), tls,
                    FrameTransport.tlsProbe(rest, raw.getInputStream())),
                    r.sealer(), r.opener(), config.limits(), r.peer(), r.agreement(), config.behaviour(), metrics);
            handedOff = true;
            metrics.connectionsHtx.increment();
            if (connections.size() >= 64) {
                connections.removeIf(x -> !x.isOpen());
            }
            connections.add(c);
            if (closed || !ready.offer(c)) {
                log.info("HTX server backlog full ({}); closing {}", config.limits().acceptBacklog(), c);
                c.close();
            }
            log.debug("HTX connection from {} ({})", raw.getRemoteSocketAddress(), r.agreement());
        } catch (SocketException | SocketTimeoutException e) {
            metrics.connectionsFailed.increment();
            log.debug("HTX connection from {} ended during setup: {}", raw.getRemoteSocketAddress(), e.toString());
        } catch (IOException e) {
            metrics.connectionsFailed.increment();
            log.info("HTX connection from {} failed during setup: {}", raw.getRemoteSocketAddress(), e.getMessage());
        } catch (RuntimeException e) {
            metrics.connectionsFailed.increment();
            log.warn("HTX connection from {}: internal error during setup", raw.getRemoteSocketAddress(), e);
        } finally {
            if (!handedOff) {
                closeQuietly(tls != null ? tls : raw);
            }
        }
    }

    private Duration sniffTimeout() {
        return switch (config.decoy()) {
            case DecoySite.StaticDirectory sd -> sd.idleTimeout();
            case DecoySite.ReverseProxy rp -> Duration.ofSeconds(60);
        };
    }

    private TicketVerifier.Verdict check(RequestSniffer.Sniffed sniffed, Socket raw) {
        if (!sniffed.complete()) {
            return new TicketVerifier.Verdict(null, TicketVerifier.Rejection.MISSING);
        }
        List<TicketCarriers.Found> found = sniffed.carriers();
        if (found.isEmpty()) {
            return new TicketVerifier.Verdict(null, TicketVerifier.Rejection.MISSING);
        }
        if (found.size() > 1) {
            return new TicketVerifier.Verdict(null, TicketVerifier.Rejection.AMBIGUOUS_CARRIERS);
        }
        return verifier.verify(found.getFirst().value(), raw.getInetAddress());
    }

    private void serveDecoy(InputStream in, OutputStream out, SSLSocket tls, RequestSniffer.Sniffed sniffed) throws IOException {
        if (staticSite != null) {
            if (sniffed.length() == 0 && !sniffed.complete()) {
                // Nothing arrived within the idle timeout: the static site would have closed too.
                return;
            }
            staticSite.serve(in, out, tls);
        } else {
            proxy.serve(in, out, tls);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
