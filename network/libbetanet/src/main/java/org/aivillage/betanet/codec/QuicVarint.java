package org.aivillage.betanet.codec;

import java.nio.ByteBuffer;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the length
 * (1, 2, 4 or 8 bytes), the rest is the value, big-endian, 0 .. 2^62-1. Encoding always uses the
 * shortest form; decoding accepts any of the four lengths, as RFC 9000 allows.
 */
public final class QuicVarint {
    /** The largest encodable value, 2^62 - 1. */
    public static final long MAX_VALUE = (1L << 62) - 1;

    private QuicVarint() {}

    /** The value and how many bytes it took. */
    public record Decoded(long value, int length) {}

    /** Bytes needed for the shortest encoding of {@code value}. */
    public static int encodedLength(long value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("QUIC varint out of range 0..2^62-1: " + value);
        }
        if (value < (1 << 6)) {
            return 1;
        }
        if (value < (1 << 14)) {
            return 2;
        }
        if (value < (1L << 30)) {
            return 4;
        }
        return 8;
    }

    /** The length of a varint given its first byte. */
    public static int lengthOf(byte firstByte) {
        return 1 << ((firstByte & 0xff) >>> 6);
    }

    /** Writes the shortest encoding into {@code out} at {@code off}; returns the bytes written. */
    public static int encode(long value, byte[] out, int off) {
        int len = encodedLength(value);
        long prefixed = value | ((long) Integer.numberOfTrailingZeros(len) << (len * 8 - 2));
        for (int i = len - 1; i >= 0; i--) {
            out[off + i] = (byte) prefixed;
            prefixed >>>= 8;
        }
        return len;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        encode(value, out, 0);
        return out;
    }

    /** Writes the shortest encoding at the buffer's position. */
    public static void write(long value, ByteBuffer buffer) {
        int len = encodedLength(value);
        byte[] tmp = new byte[8];
        encode(value, tmp, 0);
        buffer.put(tmp, 0, len);
    }

    /** Decodes the varint at {@code in[off]}, which must lie within {@code in[off, limit)}. */
    public static Decoded decode(byte[] in, int off, int limit) throws CodecException {
        if (off < 0 || off >= limit || limit > in.length) {
            throw new CodecException("varint", off, "no bytes left");
        }
        int len = lengthOf(in[off]);
        if (limit - off < len) {
            throw new CodecException("varint", off, "needs " + len + " bytes, " + (limit - off) + " left");
        }
        long v = in[off] & 0x3f;
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (in[off + i] & 0xff);
        }
        return new Decoded(v, len);
    }

    public static Decoded decode(byte[] in, int off) throws CodecException {
        return decode(in, off, in.length);
    }

    /** Reads a varint at the buffer's position and advances it; the position is unchanged on failure. */
    public static long read(ByteBuffer buffer) throws CodecException {
        int start = buffer.position();
        if (!buffer.hasRemaining()) {
            throw new CodecException("varint", start, "no bytes left");
        }
        int len = lengthOf(buffer.get(start));
        if (buffer.remaining() < len) {
            throw new CodecException("varint", start, "needs " + len + " bytes, " + buffer.remaining() + " left");
        }
        long v = buffer.get() & 0x3f;
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (buffer.get() & 0xff);
        }
        return v;
    }
}
