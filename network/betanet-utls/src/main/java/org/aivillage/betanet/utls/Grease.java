package org.aivillage.betanet.utls;

/**
 * GREASE values (RFC 8701): the sixteen code points {@code 0x?A?A} with equal bytes that
 * clients sprinkle into cipher, extension, group, version and signature lists. Templates store
 * {@link #PLACEHOLDER} where a browser puts one; every built ClientHello picks fresh values.
 */
public final class Grease {
    /** How templates mark a GREASE position. */
    public static final int PLACEHOLDER = 0x0a0a;

    private Grease() {}

    /** True for the 16 reserved GREASE code points 0x0a0a, 0x1a1a, ..., 0xfafa. */
    public static boolean is(int value) {
        return (value & 0x0f0f) == 0x0a0a && ((value >>> 8) & 0xff) == (value & 0xff);
    }

    /** The GREASE value with index {@code i} (0..15). */
    public static int value(int i) {
        int hi = ((i & 0x0f) << 4) | 0x0a;
        return (hi << 8) | hi;
    }
}
