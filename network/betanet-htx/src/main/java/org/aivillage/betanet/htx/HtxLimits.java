package org.aivillage.betanet.htx;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource bounds of one HTX endpoint.
 *
 * @param maxStreams concurrent streams the peer may open on one connection (announced in the handshake)
 * @param streamWindow receive window per stream = most bytes buffered per stream (≥ 65,535, the
 *     §5.4 initial window; more is granted with WINDOW_UPDATE right after the stream opens)
 * @param connectionWindow receive window per connection = most bytes buffered per connection (≥ 65,535).
 *     When it is at least {@code maxStreams × streamWindow}, a stream whose reader stalls can never
 *     use up the connection's credit and block the other streams; the default (Chrome's 15 MiB for
 *     100 streams of 6 MiB) bounds memory instead, so three stalled streams can hold up the rest,
 *     as in Chrome's own HTTP/2 sessions.
 * @param maxFrameLength largest frame plaintext accepted (announced; larger frames close the connection)
 * @param maxSendFrame largest STREAM frame payload this side sends (also capped by the peer's
 *     maxFrameLength). The first {@link #HEAD_BYTES} of every write go in frames of at most
 *     {@link #RECORD_ALIGNED_FRAME} (one TLS record each), so the peer's reader gets the start of
 *     a write after one record whatever this is; the rest of a longer write goes in frames of up to
 *     this size. The default {@link #BULK_FRAME} (four records) needs a quarter of the per-frame
 *     work on long writes (docs/protocols/htx.md "Sending", docs/benchmarks.md)
 * @param maxConnections server: connections handled at once (TLS, decoy and HTX); more are closed at accept
 * @param acceptBacklog server: established HTX connections waiting for {@code accept}
 * @param handshakeTimeout TLS + ticket + Noise
 * @param controlQueue control frames (acks, window updates, emulation) waiting to be written
 */
public record HtxLimits(int maxStreams, int streamWindow, int connectionWindow, int maxFrameLength, int maxSendFrame,
        int maxConnections, int acceptBacklog, Duration handshakeTimeout, int controlQueue) {
    /**
     * A STREAM payload whose frame (≤ 12-byte header + 16-byte tag) fills at most one 16,384-byte TLS
     * record. (The JDK fills its TLS 1.3 records with at most 16,367 bytes, so there frames straddle
     * records; the frame writer keeps bulk writes to whole records, docs/protocols/htx.md "Sending".)
     */
    public static final int RECORD_ALIGNED_FRAME = 16_384 - 12 - 16;

    /** The default largest STREAM payload: four {@link #RECORD_ALIGNED_FRAME}s (65,424 bytes). */
    public static final int BULK_FRAME = 4 * RECORD_ALIGNED_FRAME;

    /** Bytes at the start of every write sent in frames of at most {@link #RECORD_ALIGNED_FRAME}. */
    public static final int HEAD_BYTES = BULK_FRAME;

    /** The §5.4 initial flow-control window. */
    public static final int INITIAL_WINDOW = 65_535;
    /** Chrome's HTTP/2 stream receive window ({@code kSpdyStreamMaxRecvWindowSize}, 6 MiB, its SETTINGS_INITIAL_WINDOW_SIZE). */
    public static final int BROWSER_STREAM_WINDOW = 6 << 20;
    /** Chrome's HTTP/2 connection receive window ({@code kSpdySessionMaxRecvWindowSize}, 15 MiB, raised by WINDOW_UPDATE). */
    public static final int BROWSER_CONNECTION_WINDOW = 15 << 20;

    /**
     * 100 streams; browser-like windows: 6 MiB per stream and 15 MiB per connection (Chrome's HTTP/2
     * receive windows), granted by WINDOW_UPDATE on top of the §5.4 initial 65,535, so the credit
     * rhythm on the wire looks like a browser's download; the head of each write in one-record
     * frames, the rest in frames of four records ({@link #BULK_FRAME}), 64 KiB accepted; 256
     * connections. A single stream's throughput is bounded by window / RTT, which is why the window
     * is larger than the initial one (docs/protocols/htx.md, docs/benchmarks.md).
     */
    public static final HtxLimits DEFAULT = new HtxLimits(100, BROWSER_STREAM_WINDOW, BROWSER_CONNECTION_WINDOW, 65_535,
            BULK_FRAME, 256, 128, Duration.ofSeconds(10), 4096);

    /** {@link #DEFAULT} with every STREAM frame within one TLS record (the default before bulk frames). */
    public static final HtxLimits ONE_RECORD_FRAMES = DEFAULT.withFrames(65_535, RECORD_ALIGNED_FRAME);

    /** The §5.4 windows exactly (65,535 per stream), with a connection window that no stream can starve. */
    public static final HtxLimits SPEC_WINDOWS = DEFAULT.withWindows(INITIAL_WINDOW, 100 * INITIAL_WINDOW);

    public HtxLimits {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (maxStreams < 1 || maxStreams > 1_000_000) throw new IllegalArgumentException("maxStreams must be 1..1000000");
        if (streamWindow < INITIAL_WINDOW || streamWindow > Integer.MAX_VALUE) throw new IllegalArgumentException("streamWindow must be >= 65535");
        if (connectionWindow < INITIAL_WINDOW) throw new IllegalArgumentException("connectionWindow must be >= 65535");
        if (maxFrameLength < 4096 || maxFrameLength > 0xFF_FFFF) throw new IllegalArgumentException("maxFrameLength must be 4096..16777215");
        if (maxSendFrame < 1 || maxSendFrame > 0xFF_FFFF) throw new IllegalArgumentException("maxSendFrame must be 1..16777215");
        if (maxConnections < 1 || acceptBacklog < 1 || controlQueue < 16) throw new IllegalArgumentException("limits must be positive");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) throw new IllegalArgumentException("handshakeTimeout must be positive");
    }

    public HtxLimits withMaxStreams(int v) {
        return new HtxLimits(v, streamWindow, connectionWindow, maxFrameLength, maxSendFrame, maxConnections, acceptBacklog, handshakeTimeout, controlQueue);
    }

    public HtxLimits withWindows(int stream, int connection) {
        return new HtxLimits(maxStreams, stream, connection, maxFrameLength, maxSendFrame, maxConnections, acceptBacklog, handshakeTimeout, controlQueue);
    }

    public HtxLimits withFrames(int maxFrame, int maxSend) {
        return new HtxLimits(maxStreams, streamWindow, connectionWindow, maxFrame, maxSend, maxConnections, acceptBacklog, handshakeTimeout, controlQueue);
    }

    public HtxLimits withMaxConnections(int v) {
        return new HtxLimits(maxStreams, streamWindow, connectionWindow, maxFrameLength, maxSendFrame, v, acceptBacklog, handshakeTimeout, controlQueue);
    }

    public HtxLimits withHandshakeTimeout(Duration v) {
        return new HtxLimits(maxStreams, streamWindow, connectionWindow, maxFrameLength, maxSendFrame, maxConnections, acceptBacklog, v, controlQueue);
    }
}
