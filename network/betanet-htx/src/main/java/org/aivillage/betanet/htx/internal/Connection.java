package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxConnectionStats;
import org.aivillage.betanet.htx.HtxException;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.KeyAgreement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTX connection engine over any {@link FrameTransport}: stream table, per-stream and
 * connection flow control (65,535 initial windows, WINDOW_UPDATE at half consumed), PING, CLOSE,
 * key updates (through {@link FrameWriter}/{@link FrameOpener}) and behaviour emulation.
 *
 * <p>Threads: one reader (decrypts and dispatches; never blocks on the transport's output; wakes a
 * stream's reader at once for 256 KiB, else before a transport read that may wait or after 16 frames),
 * one control writer (acks, window updates, emulation frames from a bounded queue), and the
 * application's threads writing STREAM frames and, when the socket is free, the WINDOW_UPDATEs their
 * reads free. Writers waiting for connection credit take it in turns ({@code creditQueue}).
 * Locks: {@code lock} guards streams and windows,
 * {@code writeLock} serialises sealing + writing (so wire order = nonce order). Nobody takes
 * {@code lock} while holding {@code writeLock}.
 */
public final class Connection implements HtxConnection {
    public enum Role { CLIENT, SERVER }

    /** What the peer announced in the handshake. */
    public record PeerSettings(int maxStreams, int maxFrameLength) {}

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_OUTSTANDING_PINGS = 64;
    /** Most bytes of consumed STREAM arrays kept for reuse by the frame reader, per connection. */
    private static final long CHUNK_POOL_BYTES = 256 * 1024;
    /**
     * Most frames the reader processes before waking stream readers whose wake-up it deferred
     * (16 one-record frames: 256 KiB, about 0.5 ms of decryption here; on a bulk transfer's
     * four-record frames the 256 KiB of {@link #WAKE_BYTES} come first).
     */
    static final int MAX_DEFERRED_FRAMES = 16;
    /**
     * A stream reader is woken at once when at least this much is buffered (capped by half the
     * window). Every wake-up of a parked reader costs a virtual-thread hand-off, and with two
     * carriers usually an OS-level wake-up of the idle one (futex, two context switches): at 64 KiB
     * that was 36 futex calls and 22 context switches per MiB received, against 0.3 and 0.9 for
     * plain TLS; at 256 KiB, 12 and 8 (perf stat, docs/benchmarks.md).
     */
    static final int WAKE_BYTES = 256 * 1024;

    private final long logId = IDS.incrementAndGet();
    private final Role role;
    private final FrameTransport transport;
    private final HtxLimits limits;
    private final PeerSettings peer;
    private final KeyAgreement keyAgreement;
    private final HtxMetrics metrics;
    private final BehaviourPolicy behaviour;
    private final RandomGenerator random;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int sendChunk;
    /** Largest STREAM payload for the first {@link HtxLimits#HEAD_BYTES} of a write. */
    private final int headChunk;
    private final int wakeBytes;

    final ReentrantLock lock = new ReentrantLock();
    // Fair: writers queued for the socket take turns frame by frame (round robin across streams).
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Condition acceptable = lock.newCondition();
    private final Condition slots = lock.newCondition();

    // Guarded by lock.
    private final Map<Long, Stream> streams = new HashMap<>();
    private final ArrayDeque<Stream> acceptQueue = new ArrayDeque<>();
    /** Streams given data whose waiting reader has not been woken yet (see {@link #beforeTransportRead()}). */
    private final List<Stream> unwoken = new ArrayList<>();
    private long nextLocalId;
    /** Lowest peer-parity id not yet seen; ids below it are open, closed, or in {@code skipped}. */
    private long nextPeerId;
    /**
     * Peer ids passed over by a higher id: opened concurrently by the peer and still to be announced
     * (their first frames may arrive out of id order). Bounded by maxStreams; the oldest are dropped.
     */
    private final java.util.TreeSet<Long> skipped = new java.util.TreeSet<>();
    private int activeLocal;
    private int activePeer;
    /**
     * Writers waiting for connection credit, served in turn: while it is not empty, connection
     * credit goes to its head only, one frame's worth per turn (see {@link #writeData}).
     */
    private final ArrayDeque<Stream> creditQueue = new ArrayDeque<>();
    private long connSendWindow = HtxLimits.INITIAL_WINDOW;
    private long connRecvRemaining = HtxLimits.INITIAL_WINDOW;
    private long connRecvUnacked;

    private final LinkedBlockingQueue<Frame> control;
    private final ChunkPool chunkPool = new ChunkPool(CHUNK_POOL_BYTES);
    private final Map<Long, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String closeReason;
    private volatile long lastDataNanos;
    private Thread readerThread;
    private Thread controlThread;
    private Thread emulatorThread;

    private final AtomicLong streamsOpened = new AtomicLong();
    private final AtomicLong streamsAccepted = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong emulationSent = new AtomicLong();
    private final AtomicLong paddingReceived = new AtomicLong();
    private volatile long framesReceived;
    private long lastRecvGeneration;
    // Reader thread only.
    private boolean wakePending;
    private int framesSinceDeferral;
    /** Transport reads still known not to wait (from the last {@link FrameTransport#readyReads()}). */
    private int sureReads;

    private Connection(Role role, FrameTransport transport, FrameSealer sealer, FrameOpener opener, HtxLimits limits,
            PeerSettings peer, KeyAgreement keyAgreement, BehaviourPolicy behaviour, HtxMetrics metrics, RandomGenerator random) {
        this.role = role;
        this.transport = transport;
        this.limits = limits;
        this.peer = peer;
        this.keyAgreement = keyAgreement;
        this.behaviour = behaviour;
        this.metrics = metrics;
        this.random = random;
        this.sendChunk = Math.min(limits.maxSendFrame(), peer.maxFrameLength());
        this.headChunk = Math.min(sendChunk, HtxLimits.RECORD_ALIGNED_FRAME);
        this.wakeBytes = Math.min(WAKE_BYTES, limits.streamWindow() / 2);
        this.reader = new FrameReader(transport.input(), opener, limits.maxFrameLength(), chunkPool, this::beforeTransportRead);
        this.writer = new FrameWriter(transport.output(), sealer, sendChunk, generation -> metrics.rekeysSent.increment());
        this.control = new LinkedBlockingQueue<>(limits.controlQueue());
        this.nextLocalId = role == Role.CLIENT ? 1 : 2;
        this.nextPeerId = role == Role.CLIENT ? 2 : 1;
    }

    /** Creates the engine and starts its threads. */
    public static Connection start(Role role, FrameTransport transport, FrameSealer sealer, FrameOpener opener, HtxLimits limits,
            PeerSettings peer, KeyAgreement keyAgreement, BehaviourPolicy behaviour, HtxMetrics metrics) {
        Connection c = new Connection(role, transport, sealer, opener, limits, peer, keyAgreement, behaviour, metrics,
                RandomGenerator.of("L64X128MixRandom"));
        c.begin();
        return c;
    }

    private void begin() {
        metrics.connectionOpened();
        int extra = limits.connectionWindow() - HtxLimits.INITIAL_WINDOW;
        if (extra > 0) {
            lock.lock();
            try {
                connRecvRemaining += extra;
                enqueueControl(new Frame.WindowUpdate(0, extra));
            } finally {
                lock.unlock();
            }
        }
        String name = "htx-" + role.name().toLowerCase() + "-" + logId;
        readerThread = Thread.ofVirtual().name(name + "-reader").start(this::readLoop);
        controlThread = Thread.ofVirtual().name(name + "-control").start(this::controlLoop);
        if (behaviour.enabled()) {
            emulatorThread = Thread.ofVirtual().name(name + "-emulation").start(this::emulationLoop);
        }
    }

    // ---------------------------------------------------------------- public API

    @Override
    public HtxStream openStream(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        lock.lock();
        try {
            while (activeLocal >= peer.maxStreams()) {
                checkOpen();
                await(slots, deadline, "no stream slot freed within " + timeout + " (peer limit " + peer.maxStreams() + ")");
            }
            checkOpen();
            long id = nextLocalId;
            if (id > QuicVarint.MAX_VALUE) {
                throw new HtxException("stream ids exhausted on this connection");
            }
            nextLocalId += 2;
            Stream s = new Stream(this, id, true);
            int extra = limits.streamWindow() - HtxLimits.INITIAL_WINDOW;
            if (extra > 0) {
                s.recvRemaining += extra;
                s.pendingExtraWindow = extra;
            }
            streams.put(id, s);
            activeLocal++;
            streamsOpened.incrementAndGet();
            metrics.streamsOpened.increment();
            return s;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HtxStream acceptStream(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        lock.lock();
        try {
            while (acceptQueue.isEmpty()) {
                if (closing.get()) {
                    return null;
                }
                await(acceptable, deadline, "no stream accepted within " + timeout);
            }
            return acceptQueue.poll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration ping(Duration timeout) throws IOException {
        checkOpen();
        if (pings.size() >= MAX_OUTSTANDING_PINGS) {
            throw new HtxException("too many outstanding pings");
        }
        byte[] data = Randomness.bytes(8);
        long key = java.nio.ByteBuffer.wrap(data).getLong();
        CompletableFuture<Long> f = new CompletableFuture<>();
        pings.put(key, f);
        long t0 = System.nanoTime();
        try {
            lock.lock();
            try {
                enqueueControl(new Frame.Ping(Frame.PingKind.PING, data));
            } finally {
                lock.unlock();
            }
            long t1 = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Duration.ofNanos(t1 - t0);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no PING ACK within " + timeout);
        } catch (ExecutionException e) {
            throw new HtxException("connection closed: " + closeReason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HtxException("interrupted");
        } catch (ProtocolViolation v) {
            fail(v.code, v.getMessage(), true);
            throw new HtxException(v.getMessage());
        } finally {
            pings.remove(key);
        }
    }

    @Override
    public boolean isOpen() {
        return !closing.get();
    }

    @Override
    public String closeReason() {
        return closeReason;
    }

    @Override
    public KeyAgreement keyAgreement() {
        return keyAgreement;
    }

    @Override
    public boolean isClient() {
        return role == Role.CLIENT;
    }

    @Override
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public HtxConnectionStats stats() {
        return new HtxConnectionStats(streamsOpened.get(), streamsAccepted.get(), bytesSent.get(), bytesReceived.get(),
                writer.sealer().totalFrames(), framesReceived, writer.sealer().generation(), reader.opener().generation(),
                emulationSent.get(), paddingReceived.get());
    }

    @Override
    public void close() {
        fail(CloseCodes.NO_ERROR, "closed locally", true);
    }

    /** Blocks until the connection has closed or the timeout passes; true when closed. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "HtxConnection[" + logId + ", " + role + ", " + transport.remoteAddress() + "]";
    }

    // ---------------------------------------------------------------- stream operations

    int read(Stream s, byte[] b, int off, int len) throws IOException {
        long timeout = s.readTimeoutNanos;
        long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
        int n = 0;
        List<Frame> due;
        lock.lock();
        try {
            while (s.buffered == 0) {
                if (s.finReceived) {
                    return -1;
                }
                if (s.readClosed) {
                    throw new HtxException("stream " + s.id + " input is closed");
                }
                if (closing.get()) {
                    throw new HtxException("connection closed: " + closeReason);
                }
                await(s.readable, deadline, "no data on stream " + s.id + " within the read timeout");
            }
            while (n < len && !s.chunks.isEmpty()) {
                byte[] head = s.chunks.peekFirst();
                int take = Math.min(len - n, head.length - s.headOffset);
                System.arraycopy(head, s.headOffset, b, off + n, take);
                n += take;
                s.headOffset += take;
                if (s.headOffset == head.length) {
                    chunkPool.give(s.chunks.pollFirst());
                    s.headOffset = 0;
                }
            }
            s.buffered -= n;
            due = credit(s, n, true);
        } catch (ProtocolViolation v) {
            lock.unlock();
            try {
                fail(v.code, v.getMessage(), true);
            } finally {
                lock.lock();
            }
            throw new HtxException(v.getMessage());
        } finally {
            lock.unlock();
        }
        if (due != null) {
            sendControlInline(due);
        }
        return n;
    }

    /**
     * Writes WINDOW_UPDATEs from the thread that freed the window when the socket is free (no
     * hand-off to the control thread on the bulk path); otherwise queues them for the control
     * thread. The control thread may meanwhile write older control frames after these: every control
     * frame is order-insensitive (window increments add up; PING data is matched, not ordered).
     * Called without {@code lock}; a write may wait for the peer to read, as any write does.
     */
    private void sendControlInline(List<Frame> frames) {
        if (!writeLock.tryLock()) {
            try {
                for (Frame f : frames) {
                    enqueueControl(f);
                }
            } catch (ProtocolViolation v) {
                fail(v.code, v.getMessage(), true);
            }
            return;
        }
        IOException failure = null;
        try {
            if (closing.get()) {
                return;
            }
            for (Frame f : frames) {
                writer.write(f);
            }
            if (!writeLock.hasQueuedThreads()) {
                writer.flush();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            writeLock.unlock();
        }
        if (failure != null) {
            fail(CloseCodes.INTERNAL_ERROR, "transport write failed: " + failure.getMessage(), false);
        }
    }

    int available(Stream s) {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, s.buffered);
        } finally {
            lock.unlock();
        }
    }

    void writeData(Stream s, byte[] b, int off, int len) throws IOException {
        long timeout = s.writeTimeoutNanos;
        long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
        int written = 0;
        while (len > 0) {
            int n;
            boolean exhausted;
            // The head of a write in one-record frames (the peer's reader sees it after one record),
            // the rest of a long write in bulk frames (a quarter of the per-frame sealing and opening).
            int chunk = written < HtxLimits.HEAD_BYTES ? headChunk : sendChunk;
            lock.lock();
            try {
                while (true) {
                    checkOpen();
                    if (s.finReserved) {
                        throw new HtxException("stream " + s.id + " output is shut down");
                    }
                    // Connection credit is shared in turns: while writers wait for it, only the
                    // longest-waiting one takes it (one frame's worth), then queues again behind the
                    // others. Otherwise the writer that happens to be running when credit arrives
                    // takes it all (virtual threads are not preempted), and with windows larger
                    // than a fair share one stream starves the rest.
                    Stream head = creditQueue.peekFirst();
                    long credit = Math.min(s.sendWindow, connSendWindow);
                    if (credit > 0 && (head == null || head == s)) {
                        n = (int) Math.min(credit, Math.min(len, chunk));
                        s.sendWindow -= n;
                        connSendWindow -= n;
                        exhausted = credit == n;
                        if (head == s) {
                            leaveCreditQueue(s);
                        }
                        break;
                    }
                    if (!s.creditQueued && s.sendWindow > 0) {
                        // Waiting for connection credit (not for this stream's own window).
                        s.creditQueued = true;
                        creditQueue.addLast(s);
                    }
                    await(s.writable, deadline, "no flow-control credit on stream " + s.id + " within the write timeout");
                }
            } catch (IOException | RuntimeException e) {
                leaveCreditQueue(s);
                s.writable.signalAll(); // another writer of this stream, if any, queues again
                throw e;
            } finally {
                lock.unlock();
            }
            // Flush at the end of the write and whenever the next chunk may have to wait for
            // credit: the peer only grants credit for bytes it has received.
            sendStreamFrame(s, b, off, n, n == len || exhausted);
            off += n;
            len -= n;
            written += n;
            bytesSent.addAndGet(n);
            metrics.bytesSent.increment(n);
            lastDataNanos = System.nanoTime();
        }
    }

    private void sendStreamFrame(Stream s, byte[] b, int off, int n, boolean flush) throws IOException {
        writeLock.lock();
        try {
            checkOpen();
            writer.write(FrameType.STREAM, s.id, b, off, n);
            if (!s.announced) {
                s.announced = true;
                if (s.pendingExtraWindow > 0) {
                    writer.write(new Frame.WindowUpdate(s.id, s.pendingExtraWindow));
                }
            }
            // Coalesce: when another writer is already queued for the lock, it writes next and
            // flushes everything buffered (the last writer in line always flushes).
            if (flush && !writeLock.hasQueuedThreads()) {
                writer.flush();
            }
        } catch (IOException e) {
            writeLock.unlock();
            try {
                fail(CloseCodes.INTERNAL_ERROR, "transport write failed: " + e.getMessage(), false);
            } finally {
                writeLock.lock();
            }
            throw e instanceof HtxException ? e : new HtxException("connection closed: " + closeReason, e);
        } finally {
            writeLock.unlock();
        }
    }

    void shutdownOutput(Stream s) throws IOException {
        lock.lock();
        try {
            if (s.finReserved) {
                return;
            }
            checkOpen();
            s.finReserved = true;
        } finally {
            lock.unlock();
        }
        sendStreamFrame(s, EMPTY, 0, 0, true);
        s.finWritten = true;
        lock.lock();
        try {
            retireIfDone(s);
        } finally {
            lock.unlock();
        }
    }

    void closeInput(Stream s) {
        ProtocolViolation failure = null;
        lock.lock();
        try {
            if (s.readClosed) {
                return;
            }
            s.readClosed = true;
            long discarded = s.buffered;
            for (byte[] c : s.chunks) {
                chunkPool.give(c);
            }
            s.chunks.clear();
            s.headOffset = 0;
            s.buffered = 0;
            if (!closing.get()) {
                credit(s, discarded, false);
            }
            s.readable.signalAll();
            retireIfDone(s);
        } catch (ProtocolViolation v) {
            failure = v;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            fail(failure.code, failure.getMessage(), true);
        }
    }

    void closeStream(Stream s) {
        try {
            if (!closing.get()) {
                shutdownOutput(s);
            }
        } catch (IOException e) {
            log.debug("HTX {} stream {}: FIN not sent: {}", logId, s.id, e.getMessage());
        }
        closeInput(s);
    }

    // ---------------------------------------------------------------- flow control (lock held)

    /** Takes {@code s} out of the connection-credit queue (if in it) and lets the next writer in line try. */
    private void leaveCreditQueue(Stream s) {
        if (!s.creditQueued) {
            return;
        }
        s.creditQueued = false;
        creditQueue.remove(s);
        Stream next = creditQueue.peekFirst();
        if (next != null && connSendWindow > 0) {
            next.writable.signalAll();
        }
    }

    /**
     * Counts {@code n} consumed bytes; when half a window is consumed, grants it back with
     * WINDOW_UPDATE: queued for the control thread, or (when {@code inline}) returned for the caller
     * to send once it has released the lock (null when none is due).
     */
    private List<Frame> credit(Stream s, long n, boolean inline) {
        if (n <= 0) {
            return null;
        }
        List<Frame> due = null;
        s.recvUnacked += n;
        connRecvUnacked += n;
        if (!s.finReceived && s.recvUnacked >= limits.streamWindow() / 2) {
            due = grant(due, new Frame.WindowUpdate(s.id, s.recvUnacked), inline);
            s.recvRemaining += s.recvUnacked;
            s.recvUnacked = 0;
        }
        if (connRecvUnacked >= limits.connectionWindow() / 2) {
            due = grant(due, new Frame.WindowUpdate(0, connRecvUnacked), inline);
            connRecvRemaining += connRecvUnacked;
            connRecvUnacked = 0;
        }
        return due;
    }

    private List<Frame> grant(List<Frame> due, Frame f, boolean inline) {
        if (!inline) {
            enqueueControl(f);
            return due;
        }
        List<Frame> d = due == null ? new ArrayList<>(2) : due;
        d.add(f);
        return d;
    }

    private void retireIfDone(Stream s) {
        if (!s.retired && s.finWritten && s.finReceived) {
            s.retired = true;
            streams.remove(s.id);
            if (s.local) {
                activeLocal--;
            } else {
                activePeer--;
            }
            slots.signalAll();
        }
    }

    private void enqueueControl(Frame f) {
        if (!control.offer(f)) {
            throw new ProtocolViolation(CloseCodes.CONTROL_OVERFLOW, "control queue full (" + limits.controlQueue() + " frames): peer floods or does not read");
        }
    }

    private boolean isPeerInitiated(long id) {
        boolean odd = (id & 1) == 1;
        return role == Role.SERVER ? odd : !odd;
    }

    // ---------------------------------------------------------------- reader

    private void readLoop() {
        try {
            while (!closing.get()) {
                Frame f = reader.read();
                if (f == null) {
                    fail(CloseCodes.NO_ERROR, "transport closed by peer without CLOSE", false);
                    return;
                }
                framesReceived++;
                long gen = reader.opener().generation();
                if (gen != lastRecvGeneration) {
                    metrics.rekeysReceived.increment(gen - lastRecvGeneration);
                    lastRecvGeneration = gen;
                }
                dispatch(f);
                if (wakePending && ++framesSinceDeferral >= MAX_DEFERRED_FRAMES) {
                    wakeDeferred();
                }
            }
        } catch (FrameFormatException e) {
            fail(e.field().equals("length") ? CloseCodes.FRAME_SIZE_ERROR : CloseCodes.PROTOCOL_ERROR, "malformed frame: " + e.getMessage(), true);
        } catch (AuthenticationFailedException e) {
            fail(CloseCodes.AUTHENTICATION_FAILED, "frame failed authentication", true);
        } catch (ProtocolViolation v) {
            fail(v.code, v.getMessage(), true);
        } catch (IOException e) {
            if (!closing.get()) {
                fail(CloseCodes.INTERNAL_ERROR, "transport read failed: " + e.getMessage(), false);
            }
        } catch (RuntimeException e) {
            log.warn("HTX {}: internal error in the reader", logId, e);
            fail(CloseCodes.INTERNAL_ERROR, "internal error", true);
        } finally {
            reader.opener().close();
        }
    }

    /**
     * Reader thread, before each transport read: wakes the stream readers whose wake-up was
     * deferred unless the read is sure to return at once. So data never waits for the peer's next
     * bytes, while a bulk transfer wakes its reader once per few frames instead of once per frame.
     */
    private void beforeTransportRead() throws IOException {
        if (sureReads > 0) {
            sureReads--; // this read takes bytes the transport vouched for: it cannot wait
            return;
        }
        if (wakePending) {
            int ready = transport.readyReads();
            if (ready == 0) {
                wakeDeferred();
            } else {
                sureReads = ready - 1;
            }
        }
    }

    private void wakeDeferred() {
        lock.lock();
        try {
            for (Stream s : unwoken) {
                s.wakeDeferred = false;
                s.readable.signal();
            }
            unwoken.clear();
        } finally {
            lock.unlock();
        }
        wakePending = false;
        framesSinceDeferral = 0;
    }

    private void dispatch(Frame f) {
        switch (f) {
            case Frame.StreamData d -> onStreamData(d.streamId(), d.data());
            case Frame.WindowUpdate w -> onWindowUpdate(w.streamId(), w.increment());
            case Frame.Ping p -> onPing(p);
            case Frame.Close c -> fail(c.code(), "closed by peer" + (c.reason().isEmpty() ? "" : ": " + c.reason()), false);
            case Frame.KeyUpdate k -> {
                // The opener has already switched keys.
            }
        }
    }

    private void onStreamData(long id, byte[] data) {
        lock.lock();
        try {
            if (id == 0) {
                throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "STREAM frame on stream 0");
            }
            Stream s = streams.get(id);
            if (s == null) {
                if (!isPeerInitiated(id)) {
                    throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, id < nextLocalId
                            ? "STREAM frame for closed stream " + id
                            : "STREAM frame for stream " + id + ": wrong parity (this side's id, never opened)");
                }
                if (id < nextPeerId) {
                    if (!skipped.remove(id)) {
                        throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "STREAM frame for closed stream " + id);
                    }
                } else {
                    long gap = (id - nextPeerId) / 2;
                    if (gap > limits.maxStreams()) {
                        throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "stream id " + id + " skips more than " + limits.maxStreams() + " ids");
                    }
                    for (long k = nextPeerId; k < id; k += 2) {
                        skipped.add(k);
                    }
                    while (skipped.size() > limits.maxStreams()) {
                        skipped.pollFirst();
                    }
                    nextPeerId = id + 2;
                }
                if (activePeer >= limits.maxStreams()) {
                    throw new ProtocolViolation(CloseCodes.STREAM_LIMIT_ERROR, "peer opened more than " + limits.maxStreams() + " streams");
                }
                s = new Stream(this, id, false);
                streams.put(id, s);
                activePeer++;
                acceptQueue.add(s);
                acceptable.signal();
                streamsAccepted.incrementAndGet();
                metrics.streamsOpened.increment();
                int extra = limits.streamWindow() - HtxLimits.INITIAL_WINDOW;
                if (extra > 0) {
                    s.recvRemaining += extra;
                    enqueueControl(new Frame.WindowUpdate(id, extra));
                }
            }
            if (s.finReceived) {
                throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "STREAM frame after FIN on stream " + id);
            }
            int n = data.length;
            if (n == 0) {
                s.finReceived = true;
                s.readable.signalAll();
                retireIfDone(s);
                return;
            }
            if (n > s.recvRemaining) {
                throw new ProtocolViolation(CloseCodes.FLOW_CONTROL_ERROR, "stream " + id + " window exceeded (" + n + " bytes, " + s.recvRemaining + " allowed)");
            }
            if (n > connRecvRemaining) {
                throw new ProtocolViolation(CloseCodes.FLOW_CONTROL_ERROR, "connection window exceeded (" + n + " bytes, " + connRecvRemaining + " allowed)");
            }
            s.recvRemaining -= n;
            connRecvRemaining -= n;
            bytesReceived.addAndGet(n);
            metrics.bytesReceived.increment(n);
            lastDataNanos = System.nanoTime();
            if (s.readClosed) {
                credit(s, n, false);
                chunkPool.give(data);
            } else {
                s.chunks.addLast(data);
                s.buffered += n;
                // Wake the stream's reader at once only for a good amount of data; otherwise before
                // the next transport read that may wait, or after a few more frames, whichever is first.
                if (s.buffered >= wakeBytes) {
                    s.readable.signal();
                } else if (!s.wakeDeferred) {
                    s.wakeDeferred = true;
                    unwoken.add(s);
                    wakePending = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void onWindowUpdate(long id, long increment) {
        lock.lock();
        try {
            if (id == 0) {
                connSendWindow += increment;
                if (connSendWindow > FrameCodec.MAX_WINDOW) {
                    throw new ProtocolViolation(CloseCodes.FLOW_CONTROL_ERROR, "connection send window above 2^31-1");
                }
                for (Stream s : streams.values()) {
                    s.writable.signalAll();
                }
                return;
            }
            Stream s = streams.get(id);
            if (s == null) {
                boolean known = isPeerInitiated(id) ? id < nextPeerId : id < nextLocalId;
                if (!known) {
                    throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "WINDOW_UPDATE for stream " + id + " that never existed");
                }
                return;
            }
            s.sendWindow += increment;
            if (s.sendWindow > FrameCodec.MAX_WINDOW) {
                throw new ProtocolViolation(CloseCodes.FLOW_CONTROL_ERROR, "stream " + id + " send window above 2^31-1");
            }
            s.writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onPing(Frame.Ping p) {
        switch (p.kind()) {
            case PING -> {
                lock.lock();
                try {
                    enqueueControl(new Frame.Ping(Frame.PingKind.ACK, p.data()));
                } finally {
                    lock.unlock();
                }
            }
            case ACK -> {
                CompletableFuture<Long> f = pings.remove(java.nio.ByteBuffer.wrap(p.data()).getLong());
                if (f != null) {
                    f.complete(System.nanoTime());
                }
            }
            case PADDING, PRIORITY -> paddingReceived.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- control writer

    private void controlLoop() {
        List<Frame> batch = new ArrayList<>();
        try {
            while (!closing.get()) {
                Frame first = control.take();
                batch.add(first);
                control.drainTo(batch, 256);
                writeLock.lock();
                try {
                    if (closing.get()) {
                        return;
                    }
                    for (Frame f : batch) {
                        writer.write(f);
                    }
                    if (!writeLock.hasQueuedThreads()) {
                        writer.flush();
                    }
                } finally {
                    writeLock.unlock();
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException e) {
            fail(CloseCodes.INTERNAL_ERROR, "transport write failed: " + e.getMessage(), false);
        }
    }

    // ---------------------------------------------------------------- behaviour emulation (§5.5)

    private void emulationLoop() {
        BehaviourSchedule schedule = new BehaviourSchedule(behaviour, random);
        boolean priorityPending = schedule.sendsPriority();
        long now = System.nanoTime();
        long nextPing = now + schedule.nextPingDelayNanos();
        long idleThreshold = schedule.nextIdleThresholdNanos();
        long seenData = 0;
        boolean padded = true;
        try {
            while (!closing.get()) {
                now = System.nanoTime();
                long last = lastDataNanos;
                if (last != seenData) {
                    seenData = last;
                    padded = false;
                    idleThreshold = schedule.nextIdleThresholdNanos();
                    if (priorityPending) {
                        priorityPending = false;
                        emit(new Frame.Ping(Frame.PingKind.PRIORITY, Randomness.bytes(5)));
                    }
                }
                if (!padded && now - seenData >= idleThreshold) {
                    padded = true;
                    emit(new Frame.Ping(Frame.PingKind.PADDING, Randomness.bytes(schedule.paddingLength())));
                }
                if (now - nextPing >= 0) {
                    nextPing = now + schedule.nextPingDelayNanos();
                    emit(new Frame.Ping(Frame.PingKind.PING, Randomness.bytes(8)));
                }
                long wake = nextPing - now;
                if (!padded) {
                    wake = Math.min(wake, seenData + idleThreshold - now);
                }
                // Wake at least every idleMin to notice new DATA (which re-arms padding).
                wake = Math.max(1_000_000, Math.min(wake, behaviour.idleMin().toNanos()));
                if (closed.await(wake, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (ProtocolViolation v) {
            fail(v.code, v.getMessage(), true);
        }
    }

    private void emit(Frame f) {
        lock.lock();
        try {
            enqueueControl(f);
            emulationSent.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the connection once: records the reason, sends CLOSE when asked (waiting at most
     * 250 ms for the write lock), closes the transport and wakes every waiter.
     */
    void fail(long code, String reason, boolean sendClose) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        if (code != CloseCodes.NO_ERROR) {
            log.info("HTX connection {} ({} side, peer {}) closed: {} [{}]", logId, role, transport.remoteAddress(), reason, CloseCodes.tag(code));
        } else {
            log.debug("HTX connection {} ({} side) closed: {}", logId, role, reason);
        }
        if (sendClose) {
            boolean locked = false;
            try {
                locked = writeLock.tryLock(250, TimeUnit.MILLISECONDS);
                if (locked) {
                    writer.write(new Frame.Close(code, code == CloseCodes.NO_ERROR ? "" : reason));
                    writer.flush();
                }
            } catch (IOException | RuntimeException e) {
                log.debug("HTX {}: CLOSE not sent: {}", logId, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (locked) {
                    writeLock.unlock();
                }
            }
        }
        try {
            transport.close();
        } catch (IOException e) {
            log.debug("HTX {}: transport close: {}", logId, e.toString());
        }
        closed.countDown();
        metrics.connectionClosed(CloseCodes.tag(code));
        for (CompletableFuture<Long> f : pings.values()) {
            f.completeExceptionally(new HtxException("connection closed"));
        }
        if (controlThread != null) {
            controlThread.interrupt();
        }
        lock.lock();
        try {
            acceptable.signalAll();
            slots.signalAll();
            for (Stream s : streams.values()) {
                s.readable.signalAll();
                s.writable.signalAll();
            }
            for (Stream s : acceptQueue) {
                s.readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        writeLock.lock();
        try {
            writer.sealer().close();
        } finally {
            writeLock.unlock();
        }
    }

    private void checkOpen() throws HtxException {
        if (closing.get()) {
            throw new HtxException("connection closed: " + closeReason);
        }
    }

    private static long deadline(Duration timeout) {
        return timeout == null || timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
    }

    /** Awaits {@code c} (lock held) until signalled or the deadline (0 = none). */
    private static void await(Condition c, long deadline, String timeoutMessage) throws IOException {
        try {
            if (deadline == 0) {
                c.await();
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException(timeoutMessage);
            }
            c.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
