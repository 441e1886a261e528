package org.aivillage.betanet.htx.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.aivillage.betanet.crypto.AuthenticationFailedException;

/**
 * Bytes to frames: reads from the transport into its own buffer, parses the header, enforces the
 * frame length limit before reading the body, opens the frame with the {@link FrameOpener} and
 * decodes the plaintext. Memory is bounded by the length limit. Not thread-safe: one reader per
 * connection.
 */
public final class FrameReader {
    private static final byte[] EMPTY = new byte[0];
    private final InputStream in;
    private final FrameOpener opener;
    private final int maxLength;
    private final ChunkPool chunks;
    private final ReadHook hook;
    private byte[] buf;
    private byte[] plain;
    private int start;
    private int end;
    private long bytesRead;

    /** Lets the reader's owner act before each transport read (which may wait for the peer). */
    @FunctionalInterface
    interface ReadHook {
        /** Called on the reading thread before every read of the transport; should return quickly. */
        void beforeRead() throws IOException;
    }

    public FrameReader(InputStream in, FrameOpener opener, int maxLength) {
        this(in, opener, maxLength, new ChunkPool(0), () -> { });
    }

    /**
     * A reader whose STREAM payload arrays come from {@code chunks}; whoever consumes a
     * {@link Frame.StreamData} may give its array back to the pool once nothing refers to it.
     */
    FrameReader(InputStream in, FrameOpener opener, int maxLength, ChunkPool chunks, ReadHook hook) {
        this.chunks = chunks;
        this.hook = hook;
        if (maxLength < 0 || maxLength > FrameCodec.MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength out of range");
        }
        this.in = in;
        this.opener = opener;
        this.maxLength = maxLength;
        // Room for several frames, so compacting (moving a partial frame to the front) is rare.
        this.buf = new byte[Math.min(128 * 1024, 2 * (maxLength + FrameCodec.MAX_HEADER_LENGTH + FrameCodec.TAG_LENGTH)) + 16 * 1024];
        this.plain = new byte[Math.min(16 * 1024, maxLength)];
    }

    /**
     * The next frame, or null at a clean end of stream between frames.
     *
     * @throws FrameFormatException a malformed header or plaintext, or a frame over the limit
     * @throws AuthenticationFailedException a frame that fails authentication
     * @throws EOFException the stream ended inside a frame
     */
    public Frame read() throws IOException, FrameFormatException, AuthenticationFailedException {
        while (true) {
            FrameHeader header;
            while ((header = FrameCodec.parseHeader(buf, start, end - start, maxLength)) == null) {
                if (!fill(end - start + 1)) {
                    if (end == start) {
                        return null;
                    }
                    throw new EOFException("end of stream inside a frame header");
                }
            }
            int total = header.headerLength() + header.length() + FrameCodec.TAG_LENGTH;
            while (end - start < total) {
                if (!fill(total)) {
                    throw new EOFException("end of stream inside a frame body");
                }
            }
            // STREAM plaintext goes straight into an array the frame then owns (no second copy),
            // recycled from earlier frames of the same length when the consumer gave them back.
            byte[] out;
            if (header.type() == FrameType.STREAM) {
                out = header.length() == 0 ? EMPTY : chunks.take(header.length());
            } else {
                if (plain.length < header.length()) {
                    plain = new byte[Math.max(header.length(), Math.min(maxLength, plain.length * 2))];
                }
                out = plain;
            }
            FrameOpener.Outcome outcome;
            try {
                outcome = opener.open(header, buf, start, out);
            } catch (AuthenticationFailedException e) {
                if (out != plain && out != EMPTY) {
                    chunks.give(out);
                }
                throw e;
            }
            int frameStart = start;
            start += total;
            if (outcome == FrameOpener.Outcome.DROPPED_OLD_KEY) {
                if (out != plain && out != EMPTY) {
                    chunks.give(out);
                }
                continue;
            }
            if (header.type() == FrameType.STREAM) {
                return new Frame.StreamData(header.streamId(), out);
            }
            try {
                return FrameCodec.decodePayload(header, plain, 0, header.length());
            } catch (FrameFormatException e) {
                throw new FrameFormatException(e.field(), e.offset() + header.headerLength(),
                        "frame at stream byte " + (bytesRead - (end - frameStart)) + ": " + e.getMessage());
            }
        }
    }

    /** Reads until at least {@code need} bytes are buffered from {@code start}; false at end of stream. */
    private boolean fill(int need) throws IOException {
        if (buf.length - start < need) {
            if (need > buf.length) {
                byte[] bigger = new byte[Math.max(need, buf.length * 2)];
                System.arraycopy(buf, start, bigger, 0, end - start);
                buf = bigger;
            } else {
                System.arraycopy(buf, start, buf, 0, end - start);
            }
            end -= start;
            start = 0;
        } else if (start == end) {
            start = 0;
            end = 0;
        }
        hook.beforeRead();
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        bytesRead += n;
        return true;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public FrameOpener opener() {
        return opener;
    }
}
