package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxStream;

/**
 * One stream of a {@link Connection}. State is guarded by the connection's lock; the logic lives in
 * the connection (one place for flow control).
 */
final class Stream implements HtxStream {
    final Connection conn;
    final long id;
    final boolean local;
    final Condition readable;
    final Condition writable;

    // Guarded by conn.lock.
    long sendWindow = HtxLimits.INITIAL_WINDOW;
    long recvRemaining = HtxLimits.INITIAL_WINDOW;
    long recvUnacked;
    final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    int headOffset;
    long buffered;
    boolean finReceived;
    boolean finReserved;
    volatile boolean finWritten;
    boolean readClosed;
    boolean retired;
    /** Data arrived but the waiting reader is not yet woken (the connection's reader batches wake-ups). */
    boolean wakeDeferred;
    /** A writer of this stream waits in the connection's credit queue. */
    boolean creditQueued;

    // Guarded by conn.writeLock.
    boolean announced;
    int pendingExtraWindow;

    volatile long readTimeoutNanos;
    volatile long writeTimeoutNanos;

    private final InputStream in = new Input();
    private final OutputStream out = new Output();

    Stream(Connection conn, long id, boolean local) {
        this.conn = conn;
        this.id = id;
        this.local = local;
        this.readable = conn.lock.newCondition();
        this.writable = conn.lock.newCondition();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public InputStream inputStream() {
        return in;
    }

    @Override
    public OutputStream outputStream() {
        return out;
    }

    @Override
    public void shutdownOutput() throws IOException {
        conn.shutdownOutput(this);
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    @Override
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    @Override
    public boolean isLocallyInitiated() {
        return local;
    }

    @Override
    public HtxConnection connection() {
        return conn;
    }

    @Override
    public void close() {
        conn.closeStream(this);
    }

    @Override
    public String toString() {
        return "HtxStream[" + id + (local ? ", local" : ", remote") + "]";
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            return conn.read(Stream.this, b, off, len);
        }

        @Override
        public int available() {
            return conn.available(Stream.this);
        }

        @Override
        public void close() {
            conn.closeInput(Stream.this);
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            conn.writeData(Stream.this, b, off, len);
        }

        @Override
        public void close() throws IOException {
            shutdownOutput();
        }
    }
}
