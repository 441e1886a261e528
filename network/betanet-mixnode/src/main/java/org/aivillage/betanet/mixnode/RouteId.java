package org.aivillage.betanet.mixnode;

import java.util.HexFormat;
import org.aivillage.betanet.crypto.Hashes;

/**
 * The 16-byte address a Sphinx header routes by: the first 16 bytes of the SHA-256 digest inside a
 * node's PeerID ({@code SHA-256(identity public key)}), or a SURB/loop identifier at a final hop.
 */
public record RouteId(long hi, long lo) {
    public static final int LENGTH = 16;

    public static RouteId of(byte[] b) {
        if (b == null || b.length != LENGTH) {
            throw new IllegalArgumentException("route id must be 16 bytes");
        }
        return of(b, 0);
    }

    public static RouteId of(byte[] b, int off) {
        return new RouteId(readLong(b, off), readLong(b, off + 8));
    }

    /** The route id of a node with this Ed25519 identity key. */
    public static RouteId forIdentityKey(byte[] identityPublicKey) {
        return of(Hashes.sha256(identityPublicKey), 0);
    }

    public static RouteId random() {
        return of(org.aivillage.betanet.crypto.Randomness.bytes(LENGTH));
    }

    public static RouteId parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        writeTo(out, 0);
        return out;
    }

    public void writeTo(byte[] out, int off) {
        writeLong(out, off, hi);
        writeLong(out, off + 8, lo);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 8 hex digits, for logs. */
    public String shortString() {
        return toString().substring(0, 8);
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
