package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Frames to bytes: seals each frame with the {@link FrameSealer} into a batch buffer and writes
 * the batch to the transport on {@link #flush()} (or when the buffer is full). Inserts KEY_UPDATE
 * and switches keys when the rekey policy says so, before the frame that would exceed it. Not
 * thread-safe: callers hold the connection's write lock.
 */
public final class FrameWriter {
    /** Called after each key switch, with the new generation. */
    public interface RekeyListener {
        void rekeyed(long generation);
    }

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
        // A whole number of 16 KiB TLS records, at least two frames.
        int twoFrames = 2 * (maxPlaintext + FrameCodec.MAX_HEADER_LENGTH + FrameCodec.TAG_LENGTH);
        this.buf = new byte[Math.max(64 * 1024, (twoFrames + 16_383) / 16_384 * 16_384)];
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
            drain();
        }
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
