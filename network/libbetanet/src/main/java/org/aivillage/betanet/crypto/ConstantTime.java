package org.aivillage.betanet.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/** Constant-time helpers for comparing MACs, tickets and tags, and for wiping secrets. */
public final class ConstantTime {
    private ConstantTime() {}

    /** True when both arrays have the same length and content; time depends only on the lengths. */
    public static boolean equals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** True when every byte is zero; time depends only on the length. */
    public static boolean isZero(byte[] a) {
        int acc = 0;
        for (byte x : a) {
            acc |= x;
        }
        return acc == 0;
    }

    /** Overwrites the array with zeros (null-safe). */
    public static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
