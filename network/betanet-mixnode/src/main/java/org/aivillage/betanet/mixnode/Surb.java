package org.aivillage.betanet.mixnode;

import java.util.Arrays;

/**
 * A single-use reply block: the first hop to send the reply to, a ready Sphinx header routing back to
 * its creator, and the key the replier encrypts the reply body with. A SURB can be used once: its
 * header carries fixed per-hop replay tags, so a second use is dropped at the first hop.
 */
public record Surb(RouteId firstHop, byte[] header, byte[] payloadKey) {
    public static final int LENGTH = RouteId.LENGTH + Sphinx.HEADER_LENGTH + 32;

    public Surb {
        if (firstHop == null || header == null || header.length != Sphinx.HEADER_LENGTH
                || payloadKey == null || payloadKey.length != 32) {
            throw new IllegalArgumentException("malformed SURB");
        }
        header = header.clone();
        payloadKey = payloadKey.clone();
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    @Override
    public byte[] payloadKey() {
        return payloadKey.clone();
    }

    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        firstHop.writeTo(out, 0);
        System.arraycopy(header, 0, out, RouteId.LENGTH, Sphinx.HEADER_LENGTH);
        System.arraycopy(payloadKey, 0, out, RouteId.LENGTH + Sphinx.HEADER_LENGTH, 32);
        return out;
    }

    /** Parses a SURB from {@code in[off..off+LENGTH)}. */
    public static Surb decode(byte[] in, int off) throws SphinxException {
        if (in == null || off < 0 || in.length - off < LENGTH) {
            throw new SphinxException("surb", off, "needs " + LENGTH + " bytes");
        }
        if (in[off + RouteId.LENGTH] != Sphinx.VERSION) {
            throw new SphinxException("surb.header.version", off + RouteId.LENGTH, "unknown version");
        }
        return new Surb(RouteId.of(in, off),
                Arrays.copyOfRange(in, off + RouteId.LENGTH, off + RouteId.LENGTH + Sphinx.HEADER_LENGTH),
                Arrays.copyOfRange(in, off + RouteId.LENGTH + Sphinx.HEADER_LENGTH, off + LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Surb s && firstHop.equals(s.firstHop) && Arrays.equals(header, s.header)
                && Arrays.equals(payloadKey, s.payloadKey);
    }

    @Override
    public int hashCode() {
        return firstHop.hashCode() * 31 + Arrays.hashCode(header);
    }

    @Override
    public String toString() {
        return "Surb[firstHop=" + firstHop + "]";
    }
}
