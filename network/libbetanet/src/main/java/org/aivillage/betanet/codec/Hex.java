package org.aivillage.betanet.codec;

import java.util.HexFormat;

/** Lower-case hexadecimal without separators. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Decodes hex (either case); throws CodecException naming the offset of the first bad character. */
    public static byte[] decode(String hex) throws CodecException {
        if (hex.length() % 2 != 0) {
            throw new CodecException("hex", hex.length(), "odd number of hex digits");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new CodecException("hex", i, "not a hex digit");
            }
        }
        return HEX.parseHex(hex);
    }
}
