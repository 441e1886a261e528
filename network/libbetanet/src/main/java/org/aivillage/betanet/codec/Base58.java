package org.aivillage.betanet.codec;

import java.math.BigInteger;

/** Base58btc (the Bitcoin alphabet), as used for libp2p-style PeerID strings. */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private Base58() {}

    public static String encode(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, bytes);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        sb.append("1".repeat(zeros));
        return sb.reverse().toString();
    }

    public static byte[] decode(String text) throws CodecException {
        BigInteger n = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new CodecException("base58", i, "character outside the base58btc alphabet");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = (mag.length > 0 && mag[0] == 0) ? 1 : 0;
        byte[] out = new byte[zeros + mag.length - skip];
        System.arraycopy(mag, skip, out, zeros, mag.length - skip);
        return out;
    }
}
