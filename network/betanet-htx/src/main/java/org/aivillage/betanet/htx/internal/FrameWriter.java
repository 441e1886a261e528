package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Frames to bytes: seals each frame with the {@link FrameSealer} into a batch buffer and writes
 * the batch to the transport on {@link #flush()} (or when the buffer is full). Inserts KEY_UPDATE
 * and switches keys when the rekey policy says so, before the frame that would exceed it. Not
 * thread-safe: callers hold the connection's write lock.
 *
 * <p>When the buffer fills, only a whole number of outer TLS records' worth
 * ({@link #RECORD_PAYLOAD} bytes each) goes to the transport and the rest stays buffered for the
 * next write, so that a bulk transfer fills every TLS record: frames do not line up with records
 * (a one-record frame plus its header and tag is a little more than the JDK puts in a record), and
 * writing whatever was buffered cost a short extra record, i.e. an extra write, an extra record
 * decryption and two extra reads at the peer, per buffer. {@link #flush()} writes everything.
 */
public final class FrameWriter {
    /** Called after each key switch, with the new generation. */
    public interface RekeyListener {
        void rekeyed(long generation);
    }

    /**
     * Application bytes the JDK's TLS 1.3 puts in one record: 16,367 (a 16,405-byte record with
     * AES-256-GCM, seen with strace on JDK 25). With an outer TLS that fills records to 16,384 the
     * bulk writes still end on whole records but the last one is short once per buffer.
     */
    static final int RECORD_PAYLOAD = 16_367;

    private final OutputStream out;
    private final FrameSealer sealer;
    private final RekeyListener listener;
    private final byte[] buf;
    private int pos;
    private long bytesWritten;

    public FrameWriter(OutputStream out, FrameSealer sealer, int maxPlaintext, RekeyListener listener) {
        this.out = out;
        this.sealer = sealer;
        this.listener = listener;
        // At least two frames or 64 KiB, plus room for the part of a record kept back after a write.
        int twoFrames = 2 * (maxPlaintext + FrameCodec.MAX_HEADER_LENGTH + FrameCodec.TAG_LENGTH);
        this.buf = new byte[Math.max(64 * 1024, (twoFrames + 16_383) / 16_384 * 16_384) + RECORD_PAYLOAD];
    }

    /** Seals one frame; it reaches the transport at the next {@link #flush()} or when the buffer fills. */
    public void write(FrameType type, long streamId, byte[] pt, int off, int len) throws IOException {
        if (type != FrameType.KEY_UPDATE && sealer.rekeyDue()) {
            ensure(FrameSealer.sealedLength(FrameType.KEY_UPDATE, -1, 0));
            pos += sealer.seal(FrameType.KEY_UPDATE, -1, pt, 0, 0, buf, pos);
            sealer.rekey();
            listener.rekeyed(sealer.generation());
        }
        int need = FrameSealer.sealedLength(type, streamId, len);
        if (need > buf.length) {
            throw new IllegalArgumentException("frame of " + len + " bytes exceeds the writer buffer");
        }
        ensure(need);
        pos += sealer.seal(type, streamId, pt, off, len, buf, pos);
    }

    public void write(Frame frame) throws IOException {
        byte[] pt = FrameCodec.encodePayload(frame);
        write(frame.type(), frame.type().hasStreamId() ? frame.streamId() : -1, pt, 0, pt.length);
    }

    private void ensure(int need) throws IOException {
        if (buf.length - pos < need) {
            drainRecords();
            if (buf.length - pos < need) {
                drain();
            }
        }
    }

    /** Writes the buffered bytes that fill whole records and moves the rest to the front. */
    private void drainRecords() throws IOException {
        int whole = pos / RECORD_PAYLOAD * RECORD_PAYLOAD;
        if (whole == 0) {
            return;
        }
        out.write(buf, 0, whole);
        bytesWritten += whole;
        System.arraycopy(buf, whole, buf, 0, pos - whole);
        pos -= whole;
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            bytesWritten += pos;
            pos = 0;
        }
    }

    /** Writes every sealed frame to the transport and flushes it. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    public boolean hasPending() {
        return pos > 0;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public FrameSealer sealer() {
        return sealer;
    }
}
