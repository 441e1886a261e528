package org.aivillage.dtn.internal;

/**
 * CRC-16/X.25 (RFC 9171 section 4.2.1, ITU-T X.25): reflected polynomial 0x1021 (0x8408 reflected),
 * initial value 0xFFFF, final XOR 0xFFFF. The check value of "123456789" is 0x906E.
 */
public final class Crc16X25 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private int crc = 0xffff;

    public void update(byte[] b, int off, int len) {
        int c = crc;
        for (int i = off; i < off + len; i++) {
            c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xff];
        }
        crc = c;
    }

    public void updateZeros(int n) {
        int c = crc;
        for (int i = 0; i < n; i++) {
            c = (c >>> 8) ^ TABLE[c & 0xff];
        }
        crc = c;
    }

    public int value() {
        return (crc ^ 0xffff) & 0xffff;
    }

    public static int compute(byte[] b) {
        Crc16X25 c = new Crc16X25();
        c.update(b, 0, b.length);
        return c.value();
    }
}
