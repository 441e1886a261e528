package org.aivillage.vault.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal deterministic CBOR writer into one growing array, for the records written on every
 * operation (version AADs, audit entries): shortest-form heads, no intermediate values, no locks.
 * The callers' property tests check it against the generic encoder.
 */
public final class CborBuf {
    private byte[] buf;
    private int size;

    public CborBuf(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    /** A head: major type and argument (read as unsigned). */
    public CborBuf head(int major, long arg) {
        room(9);
        int mt = major << 5;
        int n;
        if (Long.compareUnsigned(arg, 24) < 0) {
            buf[size++] = (byte) (mt | (int) arg);
            return this;
        } else if (Long.compareUnsigned(arg, 0xff) <= 0) {
            buf[size++] = (byte) (mt | 24);
            n = 1;
        } else if (Long.compareUnsigned(arg, 0xffff) <= 0) {
            buf[size++] = (byte) (mt | 25);
            n = 2;
        } else if (Long.compareUnsigned(arg, 0xffff_ffffL) <= 0) {
            buf[size++] = (byte) (mt | 26);
            n = 4;
        } else {
            buf[size++] = (byte) (mt | 27);
            n = 8;
        }
        for (int i = n - 1; i >= 0; i--) {
            buf[size++] = (byte) (arg >>> (i * 8));
        }
        return this;
    }

    /** An integer (major type 0, or 1 when negative). */
    public CborBuf integer(long v) {
        return v >= 0 ? head(0, v) : head(1, -1 - v);
    }

    public CborBuf text(String s) {
        return bytes(3, s.getBytes(StandardCharsets.UTF_8));
    }

    public CborBuf bytes(byte[] b) {
        return bytes(2, b);
    }

    private CborBuf bytes(int major, byte[] b) {
        head(major, b.length);
        return raw(b);
    }

    public CborBuf nul() {
        room(1);
        buf[size++] = (byte) 0xf6;
        return this;
    }

    /** Already-encoded CBOR. */
    public CborBuf raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    public byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
