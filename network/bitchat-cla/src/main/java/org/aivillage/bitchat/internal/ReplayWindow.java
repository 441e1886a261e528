package org.aivillage.bitchat.internal;

/**
 * Sliding-window replay protection for explicit transport nonces (as BitChat's
 * {@code NoiseCipherState} with {@code useExtractedNonce}): accepts each nonce at most once, and
 * nothing more than {@value #SIZE} below the highest accepted nonce, so packets that a mesh
 * delivers out of order still decrypt.
 */
public final class ReplayWindow {
    public static final int SIZE = 1024;
    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** Whether {@code nonce} would be accepted (not yet seen and not too old). */
    public boolean check(long nonce) {
        if (nonce < 0) {
            return false;
        }
        if (nonce > highest) {
            return true;
        }
        long offset = highest - nonce;
        if (offset >= SIZE) {
            return false;
        }
        return !bit(nonce);
    }

    /** Marks {@code nonce} as seen (call only after the message authenticated). */
    public void mark(long nonce) {
        if (nonce > highest) {
            long shift = highest < 0 ? SIZE : nonce - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long n = highest + 1; n < nonce; n++) {
                    clear(n);
                }
            }
            highest = nonce;
        }
        set(nonce);
    }

    private int slot(long nonce) {
        return (int) (nonce % SIZE);
    }

    private boolean bit(long nonce) {
        int s = slot(nonce);
        return (bits[s >>> 6] & (1L << (s & 63))) != 0;
    }

    private void set(long nonce) {
        int s = slot(nonce);
        bits[s >>> 6] |= 1L << (s & 63);
    }

    private void clear(long nonce) {
        int s = slot(nonce);
        bits[s >>> 6] &= ~(1L << (s & 63));
    }
}
