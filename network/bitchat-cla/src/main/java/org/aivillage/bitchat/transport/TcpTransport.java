package org.aivillage.bitchat.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.bitchat.Neighbor;
import org.aivillage.bitchat.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP links: listens on a port and keeps a connection to each configured peer (reconnecting with
 * backoff). Each connection is one neighbour. Stream framing (BLE has its own): a 4-byte preamble
 * {@code "BCH1"} once per direction, then frames as {@code length u32 BE || frame}, at most
 * {@value #MAX_FRAME} bytes. One virtual thread reads and one writes per connection; the write
 * queue is bounded ({@value #QUEUE} frames, further frames are dropped and counted), so
 * {@link #broadcast} never blocks.
 */
public final class TcpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    public static final int MAX_FRAME = 1 << 21;
    static final int QUEUE = 1024;
    private static final byte[] PREAMBLE = {'B', 'C', 'H', '1'};
    private static final byte[] CLOSE = new byte[0];
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final InetSocketAddress bind;
    private final List<InetSocketAddress> peers;
    private final Map<Neighbor, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Listener listener;
    private volatile boolean closed;
    private ServerSocket server;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param bind address and port to listen on (port 0 = any free port), or null for no listener
     * @param peers peers to dial and keep connected (unresolved names are resolved at each attempt)
     */
    public TcpTransport(InetSocketAddress bind, List<InetSocketAddress> peers) {
        this("tcp", bind, peers);
    }

    public TcpTransport(String name, InetSocketAddress bind, List<InetSocketAddress> peers) {
        this.name = Objects.requireNonNull(name);
        this.bind = bind;
        this.peers = List.copyOf(peers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start(Listener l) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = Objects.requireNonNull(l);
        if (bind != null) {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(bind);
            threads.add(Thread.ofVirtual().name("bitchat-tcp-accept").start(this::acceptLoop));
            LOG.atInfo().setMessage("tcp mesh listener").addKeyValue("address", localAddress()).log();
        }
        for (InetSocketAddress peer : peers) {
            threads.add(Thread.ofVirtual().name("bitchat-tcp-dial-" + peer).start(() -> dialLoop(peer)));
        }
    }

    /** The listening address (with the actual port), or null without a listener. */
    public InetSocketAddress localAddress() {
        ServerSocket s = server;
        return s == null ? null : new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }

    @Override
    public void broadcast(byte[] frame, Neighbor except) {
        for (Connection c : connections.values()) {
            if (!c.neighbor.equals(except)) {
                c.enqueue(frame);
            }
        }
    }

    @Override
    public void send(Neighbor to, byte[] frame) {
        Connection c = connections.get(to);
        if (c != null) {
            c.enqueue(frame);
        }
    }

    @Override
    public Collection<Neighbor> neighbors() {
        return List.copyOf(connections.keySet());
    }

    /** Frames dropped because a connection's write queue was full. */
    public long droppedFrames() {
        return dropped.get();
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toJoin = new ArrayList<>(threads);
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOG.debug("closing listener", e);
        }
        List<Connection> open = new ArrayList<>(connections.values());
        for (Connection c : open) {
            c.shutdownGracefully(); // flush what is queued (e.g. a LEAVE), then close
        }
        for (Connection c : open) {
            c.awaitClosed(Duration.ofSeconds(2));
        }
        for (Thread t : toJoin) {
            t.interrupt();
        }
        for (Thread t : toJoin) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept failed", e);
                }
                return;
            }
            Neighbor n = new Neighbor(name, "in/" + s.getInetAddress().getHostAddress() + ":" + s.getPort());
            Thread.ofVirtual().name("bitchat-tcp-in").start(() -> runConnection(s, n));
        }
    }

    private void dialLoop(InetSocketAddress peer) {
        long backoffMillis = 250;
        Neighbor n = new Neighbor(name, "out/" + peer.getHostString() + ":" + peer.getPort());
        while (!closed) {
            Socket s = new Socket();
            try {
                InetSocketAddress target = peer.isUnresolved()
                        ? new InetSocketAddress(InetAddress.getByName(peer.getHostString()), peer.getPort()) : peer;
                s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                backoffMillis = 250;
                runConnection(s, n);
            } catch (IOException e) {
                closeQuietly(s);
                LOG.atDebug().setMessage("tcp dial failed").addKeyValue("peer", peer).addKeyValue("error", e.toString()).log();
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoffMillis); // reconnect backoff, not test synchronisation
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
        }
    }

    /** Runs one connection until it ends; returns when it is closed. */
    private void runConnection(Socket socket, Neighbor neighbor) {
        Connection c = new Connection(socket, neighbor);
        try {
            socket.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            out.write(PREAMBLE);
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte[] preamble = new byte[PREAMBLE.length];
            in.readFully(preamble);
            if (!java.util.Arrays.equals(preamble, PREAMBLE)) {
                throw new IOException("not a BitChat TCP link (bad preamble)");
            }
            if (closed) {
                return;
            }
            Connection previous = connections.put(neighbor, c);
            if (previous != null) {
                previous.shutdownNow();
            }
            Thread writer = Thread.ofVirtual().name("bitchat-tcp-write").start(() -> c.writeLoop(out));
            listener.onNeighborUp(this, neighbor);
            try {
                while (!closed) {
                    int len = in.readInt();
                    if (len < 0 || len > MAX_FRAME) {
                        throw new IOException("frame length " + len + " out of range");
                    }
                    byte[] frame = new byte[len];
                    in.readFully(frame);
                    listener.onFrame(this, neighbor, frame);
                }
            } finally {
                c.shutdownNow();
                writer.join(2000);
            }
        } catch (EOFException | SocketException e) {
            LOG.atDebug().setMessage("tcp link closed").addKeyValue("neighbor", neighbor).log();
        } catch (IOException e) {
            LOG.atDebug().setMessage("tcp link failed").addKeyValue("neighbor", neighbor).addKeyValue("error", e.toString()).log();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.shutdownNow();
            if (connections.remove(neighbor, c)) {
                listener.onNeighborDown(this, neighbor);
            }
            closeQuietly(socket);
            c.closed.countDown();
        }
    }

    private final class Connection {
        final Socket socket;
        final Neighbor neighbor;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean stopping;

        Connection(Socket socket, Neighbor neighbor) {
            this.socket = socket;
            this.neighbor = neighbor;
        }

        void enqueue(byte[] frame) {
            if (stopping || !queue.offer(frame)) {
                dropped.incrementAndGet();
            }
        }

        void writeLoop(DataOutputStream out) {
            try {
                while (true) {
                    byte[] f = queue.poll(1, TimeUnit.SECONDS);
                    if (f == null) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    if (f == CLOSE) {
                        out.flush();
                        socket.shutdownOutput();
                        return;
                    }
                    out.writeInt(f.length);
                    out.write(f);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(socket);
            }
        }

        /** Lets the writer send what is queued, then half-closes; the reader then sees EOF from the peer. */
        void shutdownGracefully() {
            stopping = true;
            if (!queue.offer(CLOSE)) {
                closeQuietly(socket);
            }
        }

        void shutdownNow() {
            stopping = true;
            closeQuietly(socket);
        }

        void awaitClosed(Duration timeout) {
            try {
                if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    closeQuietly(socket);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
