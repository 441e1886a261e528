package org.aivillage.betanet.utls.internal;

import org.aivillage.betanet.utls.TlsDecodeException;

/** A bounds-checked big-endian reader over a byte range; every failure names the field and offset. */
public final class ByteReader {
    private final byte[] buf;
    private final int base;
    private final int end;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length, 0);
    }

    /** A reader over {@code buf} from {@code from} to its end (offsets relative to {@code from}). */
    public ByteReader(byte[] buf, int from) {
        this(buf, from, buf.length, from);
    }

    private ByteReader(byte[] buf, int from, int to, int base) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
        this.base = base;
    }

    /** Offset relative to the original buffer start. */
    public int offset() {
        return pos - base;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n, String field) throws TlsDecodeException {
        if (n < 0 || end - pos < n) {
            throw new TlsDecodeException(field, offset(), "needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int u8(String field) throws TlsDecodeException {
        need(1, field);
        return buf[pos++] & 0xff;
    }

    public int u16(String field) throws TlsDecodeException {
        need(2, field);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int u24(String field) throws TlsDecodeException {
        need(3, field);
        int v = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    public long u32(String field) throws TlsDecodeException {
        need(4, field);
        long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public byte[] bytes(int n, String field) throws TlsDecodeException {
        need(n, field);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Reads a vector with a 1-, 2- or 3-byte length prefix and returns its body. */
    public byte[] vector(int lengthBytes, String field) throws TlsDecodeException {
        int n = switch (lengthBytes) {
            case 1 -> u8(field + ".length");
            case 2 -> u16(field + ".length");
            case 3 -> u24(field + ".length");
            default -> throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        };
        return bytes(n, field);
    }

    /** A sub-reader over a length-prefixed vector; offsets stay relative to the original buffer. */
    public ByteReader sub(int lengthBytes, String field) throws TlsDecodeException {
        int n = switch (lengthBytes) {
            case 1 -> u8(field + ".length");
            case 2 -> u16(field + ".length");
            case 3 -> u24(field + ".length");
            default -> throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        };
        need(n, field);
        ByteReader r = new ByteReader(buf, pos, pos + n, base);
        pos += n;
        return r;
    }

    /** A copy of the unread bytes; the position does not move. */
    public byte[] copyRemaining() {
        byte[] out = new byte[end - pos];
        System.arraycopy(buf, pos, out, 0, out.length);
        return out;
    }

    /** Fails unless everything was consumed. */
    public void expectEnd(String field) throws TlsDecodeException {
        if (pos != end) {
            throw new TlsDecodeException(field, offset(), (end - pos) + " trailing bytes");
        }
    }
}
