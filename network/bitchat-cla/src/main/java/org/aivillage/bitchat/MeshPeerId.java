package org.aivillage.bitchat;

import java.util.Arrays;
import java.util.HexFormat;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Hashes;

/**
 * A BitChat mesh peer ID: the 8 bytes that go into the sender and recipient fields of every packet.
 * As in BitChat ({@code PeerIDUtils.derivePeerID}), it is the first 8 bytes of the SHA-256
 * fingerprint of the peer's Noise static public key, written as 16 lower-case hex digits.
 * {@link #BROADCAST} (all {@code 0xff}) addresses everyone. Immutable.
 */
public final class MeshPeerId implements Comparable<MeshPeerId> {
    /** Length of a peer ID in bytes. */
    public static final int LENGTH = 8;
    /** The broadcast recipient, {@code ffffffffffffffff}. */
    public static final MeshPeerId BROADCAST = new MeshPeerId(filled((byte) 0xff));

    private static final HexFormat HEX = HexFormat.of();
    private final byte[] bytes;
    private final long value;

    private MeshPeerId(byte[] bytes) {
        this.bytes = bytes;
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        this.value = v;
    }

    /** The peer ID of a Noise static public key: SHA-256(key)[0..8). */
    public static MeshPeerId fromNoiseKey(byte[] noiseStaticPublicKey) {
        return new MeshPeerId(Arrays.copyOf(Hashes.sha256(noiseStaticPublicKey), LENGTH));
    }

    /** Wraps exactly 8 bytes (copied). */
    public static MeshPeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id is 8 bytes, got " + bytes.length);
        }
        return new MeshPeerId(bytes.clone());
    }

    /** Reads 8 bytes of {@code source} at {@code offset}. */
    public static MeshPeerId read(byte[] source, int offset) {
        return new MeshPeerId(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    /** The peer ID as a 64-bit big-endian number (for compact maps). */
    public static MeshPeerId ofLong(long value) {
        byte[] b = new byte[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return new MeshPeerId(b);
    }

    /** Parses 16 hex digits. */
    public static MeshPeerId parse(String hex) throws CodecException {
        String s = hex.strip();
        if (s.length() != 2 * LENGTH) {
            throw new CodecException("peer id", 0, "expected 16 hex digits, got " + s.length() + " characters");
        }
        try {
            return new MeshPeerId(HEX.parseHex(s));
        } catch (IllegalArgumentException e) {
            throw new CodecException("peer id", 0, "not hexadecimal");
        }
    }

    /** A copy of the 8 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 8 bytes into {@code target} at {@code offset}. */
    public void writeTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    /** The 8 bytes as a big-endian 64-bit number. */
    public long asLong() {
        return value;
    }

    public boolean isBroadcast() {
        return value == -1L;
    }

    /** 16 lower-case hex digits. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeshPeerId other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public int compareTo(MeshPeerId o) {
        return Long.compareUnsigned(value, o.value);
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[LENGTH];
        Arrays.fill(a, b);
        return a;
    }
}
