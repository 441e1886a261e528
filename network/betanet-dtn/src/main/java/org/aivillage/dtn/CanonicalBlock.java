package org.aivillage.dtn;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A canonical bundle block (RFC 9171 section 4.3.2): type code, block number, processing flags,
 * CRC type and the block-type-specific data (for the payload block, the application data unit).
 */
public record CanonicalBlock(int type, long number, long flags, CrcType crcType, byte[] data) {
    public CanonicalBlock {
        Objects.requireNonNull(crcType, "crcType");
        Objects.requireNonNull(data, "data");
        if (type < 0 || number < 0 || flags < 0) {
            throw new IllegalArgumentException("block numbers are unsigned");
        }
        if (type == BlockType.PAYLOAD && number != 1) {
            throw new IllegalArgumentException("the payload block is block number 1");
        }
        if (number == 0) {
            throw new IllegalArgumentException("block number 0 is the primary block");
        }
    }

    public static CanonicalBlock payload(byte[] data) {
        return new CanonicalBlock(BlockType.PAYLOAD, 1, 0, CrcType.NONE, data);
    }

    public boolean hasFlag(long flag) {
        return (flags & flag) == flag;
    }

    public CanonicalBlock withData(byte[] newData) {
        return new CanonicalBlock(type, number, flags, crcType, newData);
    }

    public CanonicalBlock withCrcType(CrcType t) {
        return new CanonicalBlock(type, number, flags, t, data);
    }

    /** The data itself (not a copy; do not modify). */
    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalBlock b && b.type == type && b.number == number && b.flags == flags
                && b.crcType == crcType && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, number, flags, crcType, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String hex = data.length <= 32 ? HexFormat.of().formatHex(data) : HexFormat.of().formatHex(data, 0, 32) + "...";
        return "CanonicalBlock[type=" + type + ", number=" + number + ", flags=" + flags + ", crc=" + crcType
                + ", data(" + data.length + ")=" + hex + "]";
    }
}
