package org.aivillage.betanet.crypto;

import java.security.SecureRandom;

/** The one source of randomness for keys, nonces and padding. Thread-safe. */
public final class Randomness {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Randomness() {}

    public static byte[] bytes(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }

    public static void fill(byte[] out) {
        RANDOM.nextBytes(out);
    }

    /** Uniform integer in [0, bound). */
    public static int nextInt(int bound) {
        return RANDOM.nextInt(bound);
    }

    /** Uniform integer in [origin, bound). */
    public static int nextInt(int origin, int bound) {
        return RANDOM.nextInt(origin, bound);
    }

    public static double nextDouble() {
        return RANDOM.nextDouble();
    }

    public static SecureRandom secureRandom() {
        return RANDOM;
    }
}
