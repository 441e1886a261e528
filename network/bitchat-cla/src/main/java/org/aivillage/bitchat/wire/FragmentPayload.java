package org.aivillage.bitchat.wire;

import java.util.Arrays;
import java.util.HexFormat;
import org.aivillage.betanet.codec.CodecException;

/**
 * The payload of a {@link MessageType#FRAGMENT} packet ({@code FragmentPayload} upstream):
 * {@code fragmentID 8 | index u16 | total u16 | originalType u8 | data}. The fragments of one
 * original packet share the random fragment ID; concatenating their data in index order gives the
 * original packet's full encoding.
 */
public record FragmentPayload(byte[] fragmentId, int index, int total, int originalType, byte[] data) {
    public static final int HEADER = 13;
    public static final int ID_LENGTH = 8;

    public FragmentPayload {
        if (fragmentId.length != ID_LENGTH) {
            throw new IllegalArgumentException("fragment id is 8 bytes");
        }
        if (total < 1 || total > 0xffff || index < 0 || index >= total) {
            throw new IllegalArgumentException("fragment " + index + " of " + total);
        }
        if (originalType < 0 || originalType > 255) {
            throw new IllegalArgumentException("original type must be a byte");
        }
    }

    public byte[] encode() {
        byte[] out = new byte[HEADER + data.length];
        System.arraycopy(fragmentId, 0, out, 0, ID_LENGTH);
        out[8] = (byte) (index >>> 8);
        out[9] = (byte) index;
        out[10] = (byte) (total >>> 8);
        out[11] = (byte) total;
        out[12] = (byte) originalType;
        System.arraycopy(data, 0, out, HEADER, data.length);
        return out;
    }

    public static FragmentPayload decode(byte[] p) throws CodecException {
        if (p.length < HEADER) {
            throw new CodecException("fragment header", p.length, "needs 13 bytes, got " + p.length);
        }
        int index = ((p[8] & 0xff) << 8) | (p[9] & 0xff);
        int total = ((p[10] & 0xff) << 8) | (p[11] & 0xff);
        if (total == 0) {
            throw new CodecException("fragment total", 10, "zero fragments");
        }
        if (index >= total) {
            throw new CodecException("fragment index", 8, "index " + index + " not below total " + total);
        }
        if (p.length == HEADER) {
            throw new CodecException("fragment data", HEADER, "empty fragment");
        }
        return new FragmentPayload(Arrays.copyOf(p, ID_LENGTH), index, total, p[12] & 0xff,
                Arrays.copyOfRange(p, HEADER, p.length));
    }

    /** The fragment ID as a number (for maps). */
    public long idAsLong() {
        long v = 0;
        for (byte b : fragmentId) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentPayload f && index == f.index && total == f.total
                && originalType == f.originalType && Arrays.equals(fragmentId, f.fragmentId) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fragmentId) * 31 + index;
    }

    @Override
    public String toString() {
        return "FragmentPayload[" + HexFormat.of().formatHex(fragmentId) + " " + index + "/" + total + " type="
                + MessageType.name(originalType) + " " + data.length + "B]";
    }
}
