package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Pure functions between HTX frame bytes and values: the header ({@code uint24 length | uint8 type |
 * [varint stream_id]}) and the plaintext of each type. Encryption is not done here
 * ({@link FrameSealer}/{@link FrameOpener}); the "plain" form {@code header || plaintext} is what
 * the property tests round-trip. Every parse failure is a {@link FrameFormatException}.
 */
public final class FrameCodec {
    /** Largest value of the uint24 length field. */
    public static final int MAX_LENGTH = 0xFF_FFFF;
    /** AEAD tag appended to every frame's ciphertext. */
    public static final int TAG_LENGTH = 16;
    /** Longest header: 3 length + 1 type + 8 varint. */
    public static final int MAX_HEADER_LENGTH = 12;
    /** Largest flow-control window and window increment (2^31-1, as HTTP/2). */
    public static final long MAX_WINDOW = 0x7FFF_FFFFL;
    /** Longest CLOSE reason in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 1024;

    private FrameCodec() {}

    public static int headerLength(FrameType type, long streamId) {
        return 4 + (type.hasStreamId() ? QuicVarint.encodedLength(streamId) : 0);
    }

    /** Writes a header; returns its length. */
    public static int writeHeader(byte[] out, int off, int length, FrameType type, long streamId) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("frame length out of range: " + length);
        }
        out[off] = (byte) (length >>> 16);
        out[off + 1] = (byte) (length >>> 8);
        out[off + 2] = (byte) length;
        out[off + 3] = (byte) type.code();
        if (!type.hasStreamId()) {
            return 4;
        }
        return 4 + QuicVarint.encode(streamId, out, off + 4);
    }

    /**
     * Parses a header from {@code in[off, off+available)}. Returns null when more bytes are needed
     * to finish the header (at most {@link #MAX_HEADER_LENGTH}); throws when the bytes can never
     * be a header or the length exceeds {@code maxLength}.
     */
    public static FrameHeader parseHeader(byte[] in, int off, int available, int maxLength) throws FrameFormatException {
        if (available < 4) {
            return null;
        }
        int length = ((in[off] & 0xFF) << 16) | ((in[off + 1] & 0xFF) << 8) | (in[off + 2] & 0xFF);
        int code = in[off + 3] & 0xFF;
        FrameType type = FrameType.fromCode(code);
        if (type == null) {
            throw new FrameFormatException("type", 3, "unknown frame type " + code);
        }
        if (length > maxLength) {
            throw new FrameFormatException("length", 0, "frame length " + length + " exceeds the limit " + maxLength);
        }
        if (!type.hasStreamId()) {
            return new FrameHeader(length, type, -1, 4);
        }
        if (available < 5) {
            return null;
        }
        int n = QuicVarint.lengthOf(in[off + 4]);
        if (available < 4 + n) {
            return null;
        }
        long id = FrameCodec.readVarint(in, off + 4, off + 4 + n, "stream_id", 4);
        return new FrameHeader(length, type, id, 4 + n);
    }

    /** The plaintext of a frame. */
    public static byte[] encodePayload(Frame frame) {
        return switch (frame) {
            case Frame.StreamData s -> s.data();
            case Frame.Ping p -> {
                byte[] data = p.data();
                byte[] out = new byte[1 + data.length];
                out[0] = (byte) p.kind().code();
                System.arraycopy(data, 0, out, 1, data.length);
                yield out;
            }
            case Frame.Close c -> {
                byte[] reason = truncateUtf8(c.reason(), MAX_REASON_BYTES);
                byte[] out = new byte[QuicVarint.encodedLength(c.code()) + reason.length];
                int n = QuicVarint.encode(c.code(), out, 0);
                System.arraycopy(reason, 0, out, n, reason.length);
                yield out;
            }
            case Frame.KeyUpdate k -> new byte[0];
            case Frame.WindowUpdate w -> new byte[] {
                (byte) (w.increment() >>> 24), (byte) (w.increment() >>> 16), (byte) (w.increment() >>> 8), (byte) w.increment()
            };
        };
    }

    /** Interprets a decrypted plaintext {@code pt[off, off+len)} for a header's type. */
    public static Frame decodePayload(FrameHeader header, byte[] pt, int off, int len) throws FrameFormatException {
        int end = off + len;
        return switch (header.type()) {
            case STREAM -> {
                byte[] data = new byte[len];
                System.arraycopy(pt, off, data, 0, len);
                yield new Frame.StreamData(header.streamId(), data);
            }
            case PING -> {
                if (len < 1) {
                    throw new FrameFormatException("ping.kind", 0, "missing");
                }
                Frame.PingKind kind = Frame.PingKind.fromCode(pt[off] & 0xFF);
                if (kind == null) {
                    throw new FrameFormatException("ping.kind", 0, "unknown kind " + (pt[off] & 0xFF));
                }
                if (kind.fixedLength() >= 0 && len - 1 != kind.fixedLength()) {
                    throw new FrameFormatException("ping.data", 1, kind + " needs " + kind.fixedLength() + " bytes, has " + (len - 1));
                }
                byte[] data = new byte[len - 1];
                System.arraycopy(pt, off + 1, data, 0, len - 1);
                yield new Frame.Ping(kind, data);
            }
            case CLOSE -> {
                long code = FrameCodec.readVarint(pt, off, end, "close.code", 0);
                int n = QuicVarint.lengthOf(pt[off]);
                int reasonLength = len - n;
                if (reasonLength > MAX_REASON_BYTES) {
                    throw new FrameFormatException("close.reason", n, "longer than " + MAX_REASON_BYTES + " bytes");
                }
                String reason;
                try {
                    reason = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(pt, off + n, reasonLength))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw new FrameFormatException("close.reason", n, "not UTF-8");
                }
                yield new Frame.Close(code, reason);
            }
            case KEY_UPDATE -> {
                if (len != 0) {
                    throw new FrameFormatException("key_update", 0, "must be empty, has " + len + " bytes");
                }
                yield new Frame.KeyUpdate();
            }
            case WINDOW_UPDATE -> {
                if (len != 4) {
                    throw new FrameFormatException("window_update.increment", 0, "needs 4 bytes, has " + len);
                }
                long inc = ((pt[off] & 0xFFL) << 24) | ((pt[off + 1] & 0xFFL) << 16) | ((pt[off + 2] & 0xFFL) << 8) | (pt[off + 3] & 0xFFL);
                if (inc < 1 || inc > MAX_WINDOW) {
                    throw new FrameFormatException("window_update.increment", 0, "must be 1.." + MAX_WINDOW + ", is " + inc);
                }
                yield new Frame.WindowUpdate(header.streamId(), inc);
            }
        };
    }

    /** {@code header || plaintext}, the unencrypted shape of a frame (tests, diagnostics). */
    public static byte[] encodePlain(Frame frame) {
        byte[] payload = encodePayload(frame);
        long id = frame.type().hasStreamId() ? frame.streamId() : -1;
        byte[] out = new byte[headerLength(frame.type(), id) + payload.length];
        int h = writeHeader(out, 0, payload.length, frame.type(), id);
        System.arraycopy(payload, 0, out, h, payload.length);
        return out;
    }

    /** Parses exactly one plain frame occupying all of {@code in}. */
    public static Frame decodePlain(byte[] in) throws FrameFormatException {
        FrameHeader h = parseHeader(in, 0, in.length, MAX_LENGTH);
        if (h == null) {
            throw new FrameFormatException("header", in.length, "truncated");
        }
        int rest = in.length - h.headerLength();
        if (rest != h.length()) {
            throw new FrameFormatException("length", 0, "says " + h.length() + " bytes, " + rest + " follow");
        }
        try {
            return decodePayload(h, in, h.headerLength(), rest);
        } catch (FrameFormatException e) {
            // Re-base payload offsets onto the frame.
            throw new FrameFormatException(e.field(), e.offset() + h.headerLength(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
    }

    /** A QUIC varint at {@code in[off]} within {@code limit}; {@code base} is the offset reported. */
    public static long readVarint(byte[] in, int off, int limit, String field, int base) throws FrameFormatException {
        try {
            return QuicVarint.decode(in, off, limit).value();
        } catch (org.aivillage.betanet.codec.CodecException e) {
            throw new FrameFormatException(field, base, "truncated varint");
        }
    }

    static byte[] truncateUtf8(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return b;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] out = new byte[end];
        System.arraycopy(b, 0, out, 0, end);
        return out;
    }
}
