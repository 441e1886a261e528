package org.aivillage.dtn.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.BundleRefusedException;
import org.aivillage.dtn.ClaLink;
import org.aivillage.dtn.ClaListener;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.TcpclOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCPCLv4 session (RFC 9174): contact header exchange, optional TLS, SESS_INIT negotiation,
 * then transfers in both directions. Outgoing transfers are pipelined up to the window; each
 * completes on the final XFER_ACK. Incoming transfers are acknowledged only after the listener
 * durably accepted the bundle, or refused with XFER_REFUSE. Keepalives keep the session up and
 * detect a dead peer (no message for twice the interval).
 */
public final class TcpclSession implements ClaLink {
    private static final Logger LOG = LoggerFactory.getLogger(TcpclSession.class);
    /** Bound on received bundles awaiting the listener's durable accept per session. */
    private static final int MAX_INBOUND_PENDING = 4096;

    private final TcpclOptions options;
    private final EndpointId localNode;
    private final boolean active;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextTransferId = new AtomicLong();
    private final AtomicBoolean open = new AtomicBoolean();
    private final Semaphore inboundSlots = new Semaphore(MAX_INBOUND_PENDING);
    private Semaphore window;
    private ClaListener listener;
    private EndpointId peer;
    private String remote;
    private long peerSegmentMru;
    private long peerTransferMru;
    private int keepaliveSeconds;
    private volatile long lastSendNanos = System.nanoTime();
    private volatile long lastReceiveNanos = System.nanoTime();
    private boolean tls;

    private record Pending(CompletableFuture<Void> future, long length) {}

    public TcpclSession(Socket socket, boolean active, EndpointId localNode, TcpclOptions options) {
        this.socket = socket;
        this.active = active;
        this.localNode = localNode;
        this.options = options;
        this.remote = socket.getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getHostString() + ":" + a.getPort() : String.valueOf(socket.getRemoteSocketAddress());
    }

    /** Runs the handshake; on success the session is open but not yet reading (call {@link #start}). */
    public void handshake(EndpointId expectedPeer) throws IOException {
        int timeoutMs = (int) options.handshakeTimeout().toMillis();
        socket.setSoTimeout(timeoutMs);
        socket.setTcpNoDelay(true);
        // Unbuffered for the 6-byte contact header: nothing past it may be consumed before TLS starts.
        DataOutputStream rawOut = new DataOutputStream(socket.getOutputStream());
        DataInputStream rawIn = new DataInputStream(socket.getInputStream());
        int myFlags = options.sslContext() != null ? TcpclMessage.CAN_TLS : 0;
        int peerFlags;
        if (active) {
            TcpclMessage.writeContactHeader(rawOut, myFlags);
            peerFlags = TcpclMessage.readContactHeader(rawIn);
        } else {
            peerFlags = TcpclMessage.readContactHeader(rawIn);
            TcpclMessage.writeContactHeader(rawOut, myFlags);
        }
        tls = (myFlags & peerFlags & TcpclMessage.CAN_TLS) != 0;
        if (!tls && options.requireTls()) {
            terminateQuietly(rawOut, 0x04);
            throw new IOException("peer " + remote + " does not offer TLS, which this node requires");
        }
        if (tls) {
            SSLSocket ssl = (SSLSocket) options.sslContext().getSocketFactory().createSocket(socket,
                    socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            ssl.setUseClientMode(active);
            if (!active) {
                // Ask the active peer for its certificate so its Node ID can be checked (RFC 9174 §4.4.3).
                ssl.setWantClientAuth(true);
            }
            ssl.setSoTimeout(timeoutMs);
            ssl.startHandshake();
            socket = ssl;
            rawOut = new DataOutputStream(new BufferedOutputStream(ssl.getOutputStream(), 16_384));
            rawIn = new DataInputStream(new BufferedInputStream(ssl.getInputStream(), 16_384));
        } else {
            rawOut = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 65_536));
            rawIn = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65_536));
        }
        this.out = rawOut;
        this.in = rawIn;
        int myKeepalive = (int) options.keepalive().toSeconds();
        TcpclMessage.writeSessInit(out, myKeepalive, options.segmentMru(), options.transferMru(), localNode.toString());
        out.flush();
        TcpclMessage first = TcpclMessage.read(in, options.segmentMru());
        if (!(first instanceof TcpclMessage.SessInit init)) {
            terminateQuietly(out, 0);
            throw new CodecException("sessInit", 0, "expected SESS_INIT, got " + first.getClass().getSimpleName());
        }
        if (init.hasCriticalExtension()) {
            terminateQuietly(out, 0);
            throw new IOException("peer " + remote + " requires a session extension this node does not support");
        }
        try {
            peer = EndpointId.parse(init.nodeId());
        } catch (IllegalArgumentException e) {
            terminateQuietly(out, 0);
            throw new CodecException("sessInit.nodeId", 0, "peer node ID is not an endpoint ID");
        }
        if (expectedPeer != null && !expectedPeer.node().equals(peer.node())) {
            terminateQuietly(out, 0);
            throw new IOException("peer at " + remote + " is " + peer + ", expected " + expectedPeer);
        }
        if (tls) {
            String refused = CertificateNodeIds.check(((SSLSocket) socket).getSession(), peer, options.requireNodeIdCertificate());
            if (refused != null) {
                terminateQuietly(out, 0x04);
                throw new IOException("peer at " + remote + ": " + refused);
            }
        }
        peerSegmentMru = Math.max(1, Math.min(init.segmentMru(), Integer.MAX_VALUE - 64));
        peerTransferMru = init.transferMru();
        keepaliveSeconds = Math.min(myKeepalive, init.keepaliveSeconds());
        window = new Semaphore(options.window());
        socket.setSoTimeout(keepaliveSeconds > 0 ? keepaliveSeconds * 1000 : 0);
        open.set(true);
        lastReceiveNanos = System.nanoTime();
    }

    private static void terminateQuietly(DataOutputStream o, int reason) {
        try {
            TcpclMessage.writeTerm(o, 0, reason);
            o.flush();
        } catch (IOException ignored) {
            // the session is failing anyway
        }
    }

    /** Starts the reader (and keepalive) threads; events go to {@code l}. */
    public void start(ClaListener l) {
        this.listener = l;
        Thread.ofVirtual().name("tcpcl-read-" + remote).start(this::readLoop);
        if (keepaliveSeconds > 0) {
            Thread.ofVirtual().name("tcpcl-keepalive-" + remote).start(this::keepaliveLoop);
        }
        l.linkUp(this);
    }

    public boolean tls() {
        return tls;
    }

    @Override
    public EndpointId peerNodeId() {
        return peer;
    }

    @Override
    public String scheme() {
        return "tcpcl";
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public boolean reliable() {
        return true;
    }

    @Override
    public long maxBundleSize() {
        return peerTransferMru;
    }

    @Override
    public CompletableFuture<Void> transmit(byte[] bundle) throws IOException {
        if (!open.get()) {
            throw new IOException("TCPCL session to " + remote + " is closed");
        }
        if (bundle.length > peerTransferMru) {
            throw new BundleRefusedException(BundleRefusedException.NOT_ACCEPTABLE,
                    "bundle of " + bundle.length + " bytes exceeds the peer's transfer MRU " + peerTransferMru);
        }
        try {
            while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                if (!open.get()) {
                    throw new IOException("TCPCL session to " + remote + " closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the transfer window");
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        writeLock.lock();
        try {
            long id = nextTransferId.getAndIncrement();
            pending.put(id, new Pending(f, bundle.length));
            int seg = (int) Math.min(peerSegmentMru, Integer.MAX_VALUE);
            int off = 0;
            do {
                int len = Math.min(seg, bundle.length - off);
                int flags = (off == 0 ? TcpclMessage.FLAG_START : 0) | (off + len == bundle.length ? TcpclMessage.FLAG_END : 0);
                TcpclMessage.writeSegment(out, flags, id, bundle, off, len);
                off += len;
            } while (off < bundle.length);
            if (!writeLock.hasQueuedThreads()) {
                out.flush();
            }
            lastSendNanos = System.nanoTime();
        } catch (IOException e) {
            window.release();
            fail(e);
            throw e;
        } finally {
            writeLock.unlock();
        }
        if (!writeLock.isLocked()) {
            flushQuietly();
        }
        return f;
    }

    private void flushQuietly() {
        if (writeLock.tryLock()) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            } finally {
                writeLock.unlock();
            }
        }
    }

    private void readLoop() {
        long inTransfer = -1;
        ByteArrayOutputStream assembling = null;
        int segFlags = 0;
        try {
            while (open.get()) {
                TcpclMessage m;
                try {
                    m = TcpclMessage.read(in, options.segmentMru());
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() - lastReceiveNanos > 2L * keepaliveSeconds * 1_000_000_000L) {
                        LOG.info("TCPCL session to {} idle for twice the keepalive interval; closing", peer);
                        terminate(0x01);
                        return;
                    }
                    continue;
                }
                lastReceiveNanos = System.nanoTime();
                switch (m) {
                    case TcpclMessage.XferSegment s -> {
                        if (s.start()) {
                            inTransfer = s.transferId();
                            assembling = new ByteArrayOutputStream(s.end() ? s.length() : Math.max(s.length() * 2, 4096));
                            segFlags = 0;
                            if (s.hasCriticalExtension()) {
                                writeControl(o -> TcpclMessage.writeRefuse(o, BundleRefusedException.EXTENSION_FAILURE,
                                        s.transferId()));
                                assembling = null;
                                continue;
                            }
                        } else if (assembling == null || s.transferId() != inTransfer) {
                            continue; // refused or unknown transfer: drop the rest of its segments
                        }
                        if (assembling.size() + (long) s.length() > options.transferMru()) {
                            long id = s.transferId();
                            writeControl(o -> TcpclMessage.writeRefuse(o, BundleRefusedException.NOT_ACCEPTABLE, id));
                            assembling = null;
                            continue;
                        }
                        assembling.write(s.data(), s.offset(), s.length());
                        segFlags |= s.flags();
                        long total = assembling.size();
                        long id = s.transferId();
                        if (!s.end()) {
                            int flags = s.flags();
                            writeControl(o -> TcpclMessage.writeAck(o, flags, id, total));
                            continue;
                        }
                        byte[] bundle = assembling.toByteArray();
                        assembling = null;
                        int ackFlags = s.flags();
                        inboundSlots.acquire();
                        listener.bundleReceived(this, bundle).whenComplete((ok, err) -> {
                            inboundSlots.release();
                            if (!open.get()) {
                                return;
                            }
                            if (err == null) {
                                writeControl(o -> TcpclMessage.writeAck(o, ackFlags, id, total));
                            } else {
                                Throwable c = err instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : err;
                                int reason = c instanceof BundleRefusedException r ? r.reason()
                                        : BundleRefusedException.NO_RESOURCES;
                                writeControl(o -> TcpclMessage.writeRefuse(o, reason, id));
                            }
                        });
                    }
                    case TcpclMessage.XferAck a -> {
                        if ((a.flags() & TcpclMessage.FLAG_END) != 0) {
                            Pending p = pending.remove(a.transferId());
                            if (p != null) {
                                window.release();
                                p.future().complete(null);
                            }
                        }
                    }
                    case TcpclMessage.XferRefuse r -> {
                        Pending p = pending.remove(r.transferId());
                        if (p != null) {
                            window.release();
                            p.future().completeExceptionally(new BundleRefusedException(r.reason(),
                                    "peer " + peer + " refused the transfer (reason " + r.reason() + ")"));
                        }
                    }
                    case TcpclMessage.Keepalive k -> {}
                    case TcpclMessage.SessTerm t -> {
                        if ((t.flags() & TcpclMessage.TERM_REPLY) == 0) {
                            writeControl(o -> TcpclMessage.writeTerm(o, TcpclMessage.TERM_REPLY, t.reason()));
                        }
                        LOG.debug("peer {} terminated the session (reason {})", peer, t.reason());
                        shutdown(new IOException("peer terminated the TCPCL session"));
                        return;
                    }
                    case TcpclMessage.MsgReject r -> LOG.warn("peer {} rejected message type {} (reason {})", peer,
                            r.rejectedType(), r.reason());
                    case TcpclMessage.SessInit i -> {
                        writeControl(o -> {
                            o.write(TcpclMessage.MSG_REJECT);
                            o.write(0x03);
                            o.write(TcpclMessage.SESS_INIT);
                        });
                    }
                }
            }
        } catch (IOException e) {
            if (open.get()) {
                LOG.debug("TCPCL session to {} failed: {}", peer, e.getMessage());
            }
            shutdown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(new IOException("interrupted"));
        }
    }

    private interface Control {
        void write(DataOutputStream o) throws IOException;
    }

    private void writeControl(Control c) {
        writeLock.lock();
        try {
            c.write(out);
            if (!writeLock.hasQueuedThreads()) {
                out.flush(); // a queued writer flushes after its own message (coalesces acks)
            }
            lastSendNanos = System.nanoTime();
        } catch (IOException e) {
            fail(e);
        } finally {
            writeLock.unlock();
        }
    }

    private void keepaliveLoop() {
        long intervalNanos = keepaliveSeconds * 1_000_000_000L;
        while (open.get()) {
            try {
                Thread.sleep(Math.max(100, keepaliveSeconds * 250L));
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - lastSendNanos >= intervalNanos) {
                writeControl(o -> o.write(TcpclMessage.KEEPALIVE));
            }
        }
    }

    private void fail(IOException e) {
        shutdown(e);
    }

    private void terminate(int reason) {
        if (open.get()) {
            writeLock.lock();
            try {
                TcpclMessage.writeTerm(out, 0, reason);
                out.flush();
            } catch (IOException ignored) {
                // closing anyway
            } finally {
                writeLock.unlock();
            }
        }
        shutdown(new IOException("TCPCL session terminated"));
    }

    private void shutdown(IOException cause) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Long id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future().completeExceptionally(cause);
            }
        }
        if (window != null) {
            window.release(options.window());
        }
        if (listener != null) {
            listener.linkDown(this);
        }
    }

    @Override
    public void close() {
        terminate(0x00);
    }

    @Override
    public String toString() {
        return "tcpcl:" + peer + "@" + remote;
    }
}
