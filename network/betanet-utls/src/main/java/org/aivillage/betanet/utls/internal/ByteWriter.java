package org.aivillage.betanet.utls.internal;

import java.util.Arrays;

/** A growable big-endian writer with back-patched length prefixes. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(256);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter u24(int v) {
        ensure(3);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /** Writes {@code body} with a length prefix of {@code lengthBytes} bytes. */
    public ByteWriter vector(int lengthBytes, byte[] body) {
        int max = lengthBytes == 1 ? 0xff : lengthBytes == 2 ? 0xffff : 0xffffff;
        if (body.length > max) {
            throw new IllegalArgumentException("vector of " + body.length + " bytes exceeds a " + lengthBytes + "-byte length");
        }
        switch (lengthBytes) {
            case 1 -> u8(body.length);
            case 2 -> u16(body.length);
            case 3 -> u24(body.length);
            default -> throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        }
        return bytes(body);
    }

    /** Reserves a length prefix; call {@link #endLength(int, int)} with the returned mark. */
    public int beginLength(int lengthBytes) {
        int mark = size;
        ensure(lengthBytes);
        size += lengthBytes;
        return mark;
    }

    public void endLength(int mark, int lengthBytes) {
        int len = size - mark - lengthBytes;
        int max = lengthBytes == 1 ? 0xff : lengthBytes == 2 ? 0xffff : 0xffffff;
        if (len > max) {
            throw new IllegalArgumentException("vector of " + len + " bytes exceeds a " + lengthBytes + "-byte length");
        }
        for (int i = lengthBytes - 1; i >= 0; i--) {
            buf[mark + i] = (byte) len;
            len >>>= 8;
        }
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
