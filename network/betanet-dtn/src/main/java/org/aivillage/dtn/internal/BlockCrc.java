package org.aivillage.dtn.internal;

import java.util.zip.CRC32C;
import org.aivillage.dtn.CrcType;

/** Computes a block CRC over its encoding with the CRC value bytes taken as zero (RFC 9171 4.2.1). */
public final class BlockCrc {
    private BlockCrc() {}

    private static final byte[] ZEROS = new byte[4];

    /**
     * CRC of {@code in[start, end)} where the last {@code type.length()} bytes are the CRC value
     * field and are treated as zeros. Returned as the big-endian value in the low bits.
     */
    public static long compute(CrcType type, byte[] in, int start, int end) {
        int n = type.length();
        return switch (type) {
            case NONE -> 0;
            case CRC16 -> {
                Crc16X25 c = new Crc16X25();
                c.update(in, start, end - start - n);
                c.updateZeros(n);
                yield c.value();
            }
            case CRC32C -> {
                CRC32C c = new CRC32C();
                c.update(in, start, end - start - n);
                c.update(ZEROS, 0, n);
                yield c.getValue();
            }
        };
    }

    /** Writes {@code value} big-endian into the last {@code type.length()} bytes before {@code end}. */
    public static void patch(CrcType type, long value, byte[] buf, int end) {
        int n = type.length();
        for (int i = 0; i < n; i++) {
            buf[end - 1 - i] = (byte) (value >>> (8 * i));
        }
    }

    /** Reads the big-endian CRC value from the last {@code type.length()} bytes before {@code end}. */
    public static long read(CrcType type, byte[] buf, int end) {
        long v = 0;
        for (int i = end - type.length(); i < end; i++) {
            v = (v << 8) | (buf[i] & 0xff);
        }
        return v;
    }
}
