package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A decrypted HTX frame. The wire form is {@code uint24 length | uint8 type | [varint stream_id] |
 * ciphertext || tag}; the records here are what the plaintext means (docs/protocols/htx.md §Frames).
 */
public sealed interface Frame {

    FrameType type();

    /** Stream data. Empty {@code data} is the sender's FIN (half-close of that stream). */
    record StreamData(long streamId, byte[] data) implements Frame {
        // Frames are internal and on the data path: the array is owned by the frame, not copied.

        public boolean fin() {
            return data.length == 0;
        }

        @Override
        public FrameType type() {
            return FrameType.STREAM;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StreamData s && s.streamId == streamId && Arrays.equals(s.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(streamId) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "StreamData[streamId=" + streamId + ", length=" + data.length + "]";
        }
    }

    /** The PING family: liveness probe, its acknowledgement, and the behaviour-emulation fillers. */
    enum PingKind {
        /** A probe; the receiver answers with ACK carrying the same 8 bytes. */
        PING(0, 8),
        ACK(1, 8),
        /** Idle padding (§5.5): 0..n opaque bytes, discarded by the receiver. */
        PADDING(2, -1),
        /** The size and place of an HTTP/2 PRIORITY frame (§5.5), 5 opaque bytes, discarded. */
        PRIORITY(3, 5);

        private final int code;
        private final int fixedLength;

        PingKind(int code, int fixedLength) {
            this.code = code;
            this.fixedLength = fixedLength;
        }

        public int code() {
            return code;
        }

        /** Required data length, or -1 when any length is allowed. */
        public int fixedLength() {
            return fixedLength;
        }

        static PingKind fromCode(int code) {
            for (PingKind k : values()) {
                if (k.code == code) return k;
            }
            return null;
        }
    }

    record Ping(PingKind kind, byte[] data) implements Frame {
        public Ping {
            if (kind.fixedLength() >= 0 && data.length != kind.fixedLength()) {
                throw new IllegalArgumentException(kind + " data must be " + kind.fixedLength() + " bytes");
            }
        }

        @Override
        public FrameType type() {
            return FrameType.PING;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && p.kind == kind && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Ping[" + kind + ", " + (kind == PingKind.PADDING ? data.length + " bytes" : HexFormat.of().formatHex(data)) + "]";
        }
    }

    /** Connection close with an error code and a short UTF-8 reason. */
    record Close(long code, String reason) implements Frame {
        public Close {
            if (code < 0 || code > QuicVarint.MAX_VALUE) {
                throw new IllegalArgumentException("close code out of range");
            }
            // Canonical form: at most MAX_REASON_BYTES of well-formed UTF-8, as it goes on the wire.
            reason = reason == null ? "" : new String(FrameCodec.truncateUtf8(reason, FrameCodec.MAX_REASON_BYTES), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public FrameType type() {
            return FrameType.CLOSE;
        }
    }

    /** The sender's last frame under its current key; every later frame uses the next key. */
    record KeyUpdate() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.KEY_UPDATE;
        }
    }

    /** Flow-control credit; stream id 0 is the connection window. */
    record WindowUpdate(long streamId, long increment) implements Frame {
        public WindowUpdate {
            if (increment < 1 || increment > FrameCodec.MAX_WINDOW) {
                throw new IllegalArgumentException("window increment out of range: " + increment);
            }
        }

        @Override
        public FrameType type() {
            return FrameType.WINDOW_UPDATE;
        }
    }

    /** The stream id of STREAM and WINDOW_UPDATE frames, -1 for the others. */
    default long streamId() {
        return -1;
    }
}
