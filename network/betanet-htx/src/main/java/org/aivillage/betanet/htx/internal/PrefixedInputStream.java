package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.InputStream;

/** Bytes already read from a stream, then the rest of that stream. */
public final class PrefixedInputStream extends InputStream {
    private final byte[] prefix;
    private int pos;
    private final int end;
    private final InputStream rest;

    public PrefixedInputStream(byte[] prefix, int off, int len, InputStream rest) {
        this.prefix = prefix;
        this.pos = off;
        this.end = off + len;
        this.rest = rest;
    }

    @Override
    public int read() throws IOException {
        if (pos < end) {
            return prefix[pos++] & 0xFF;
        }
        return rest.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos < end) {
            int n = Math.min(len, end - pos);
            System.arraycopy(prefix, pos, b, off, n);
            pos += n;
            return n;
        }
        return rest.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return (end - pos) + rest.available();
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
