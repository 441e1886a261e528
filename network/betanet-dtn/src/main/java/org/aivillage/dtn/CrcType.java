package org.aivillage.dtn;

/** The CRC carried by a block (RFC 9171 section 4.2.1). */
public enum CrcType {
    NONE(0, 0),
    /** CRC-16/X.25, two bytes. */
    CRC16(1, 2),
    /** CRC-32C (Castagnoli), four bytes. */
    CRC32C(2, 4);

    private final int code;
    private final int length;

    CrcType(int code, int length) {
        this.code = code;
        this.length = length;
    }

    public int code() {
        return code;
    }

    /** Length of the CRC value in bytes. */
    public int length() {
        return length;
    }

    /** The CRC type for a wire code, or null if the code is not defined. */
    public static CrcType of(long code) {
        return code == 0 ? NONE : code == 1 ? CRC16 : code == 2 ? CRC32C : null;
    }
}
