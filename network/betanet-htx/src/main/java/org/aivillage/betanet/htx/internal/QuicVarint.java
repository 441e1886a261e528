package org.aivillage.betanet.htx.internal;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian. Values 0..2^62-1. Decoding
 * accepts non-minimal encodings, as RFC 9000 requires of receivers.
 */
public final class QuicVarint {
    public static final long MAX = (1L << 62) - 1;

    private QuicVarint() {}

    /** Bytes needed for {@code value} in the shortest form. */
    public static int encodedLength(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value < 64) return 1;
        if (value < 16384) return 2;
        if (value < 1073741824L) return 4;
        return 8;
    }

    /** Length of the varint whose first byte is {@code first}. */
    public static int lengthFromFirstByte(byte first) {
        return 1 << ((first & 0xFF) >>> 6);
    }

    /** Writes {@code value} at {@code out[off]} in the shortest form; returns the bytes written. */
    public static int encode(long value, byte[] out, int off) {
        int n = encodedLength(value);
        long v = value;
        for (int i = n - 1; i >= 0; i--) {
            out[off + i] = (byte) v;
            v >>>= 8;
        }
        out[off] |= (byte) ((Integer.numberOfTrailingZeros(n)) << 6);
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        encode(value, out, 0);
        return out;
    }

    /**
     * Reads a varint at {@code in[off]}, not reading at or past {@code limit}.
     *
     * @param field names the field in the exception message
     * @param base added to {@code off} for the offset reported in the message
     */
    public static long decode(byte[] in, int off, int limit, String field, int base) throws FrameFormatException {
        if (off >= limit) {
            throw new FrameFormatException(field, base, "truncated varint (no bytes)");
        }
        int n = lengthFromFirstByte(in[off]);
        if (off + n > limit) {
            throw new FrameFormatException(field, base, "truncated varint (needs " + n + " bytes, has " + (limit - off) + ")");
        }
        long v = in[off] & 0x3F;
        for (int i = 1; i < n; i++) {
            v = (v << 8) | (in[off + i] & 0xFF);
        }
        return v;
    }
}
