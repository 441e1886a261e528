package org.aivillage.vault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts sync sessions from the owner's other devices on a TCP port: one virtual thread per
 * connection, at most {@link #MAX_SESSIONS} at once (further connections wait in the backlog).
 * Closing stops accepting and closes open sessions.
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncServer.class);
    public static final int MAX_SESSIONS = 8;
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

    private final TwinVault vault;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(MAX_SESSIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    private SyncServer(TwinVault vault, ServerSocket server) {
        this.vault = vault;
        this.server = server;
    }

    static SyncServer start(TwinVault vault, InetSocketAddress bind) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(bind, 64);
            SyncServer s = new SyncServer(vault, ss);
            s.executor.submit(s::acceptLoop);
            log.info("twin-vault sync listening on {}", ss.getLocalSocketAddress());
            return s;
        } catch (IOException e) {
            throw new SyncException("cannot listen for sync on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Sessions that finished successfully. */
    public long completedSessions() {
        return completed.get();
    }

    /** Sessions that failed (network, authentication, protocol). */
    public long failedSessions() {
        return failed.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket s;
            try {
                s = server.accept();
            } catch (SocketException e) {
                slots.release();
                return;
            } catch (IOException e) {
                slots.release();
                if (!closed) {
                    log.warn("sync accept failed: {}", e.getMessage());
                }
                continue;
            }
            open.add(s);
            executor.submit(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s) {
            Sync.respond(vault, s, SESSION_TIMEOUT);
            completed.incrementAndGet();
        } catch (VaultException | IOException | IllegalStateException e) {
            failed.incrementAndGet();
            if (!closed) {
                log.warn("sync session from {} failed: {}", s.getRemoteSocketAddress(), e.getMessage());
            }
        } finally {
            open.remove(s);
            slots.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the sync listener: {}", e.getMessage());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing a sync session: {}", e.getMessage());
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
