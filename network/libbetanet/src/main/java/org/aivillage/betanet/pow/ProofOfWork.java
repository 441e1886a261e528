package org.aivillage.betanet.pow;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.aivillage.betanet.crypto.Hashes;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Hashcash-style proof of work (Betanet 1.1 §6.3): find a 64-bit nonce such that
 * {@code SHA-256(challenge || u64be(nonce))} starts with at least {@code bits} zero bits.
 * Verification costs one hash and runs in time independent of the hash value.
 */
public final class ProofOfWork {
    /** The Betanet minimum difficulty for bootstrap responders. */
    public static final int BOOTSTRAP_MIN_BITS = 22;
    /** The largest difficulty accepted (beyond this no client could solve it). */
    public static final int MAX_BITS = 64;

    private ProofOfWork() {}

    /**
     * The challenge a bootstrap responder issues: SHA-256("bn-pow-v1" || serverNonce || u64be(epochDay)
     * || clientPeerId). Binding the day and the requester's PeerID stops reuse across days and peers.
     */
    public static byte[] bootstrapChallenge(byte[] serverNonce, long epochDay, byte[] clientPeerId) {
        byte[] day = new byte[8];
        for (int i = 0; i < 8; i++) {
            day[i] = (byte) (epochDay >>> (56 - 8 * i));
        }
        return Hashes.sha256("bn-pow-v1".getBytes(StandardCharsets.US_ASCII), serverNonce, day, clientPeerId);
    }

    /**
     * Searches nonces from {@code startNonce} for at most {@code maxAttempts}; empty when none was found.
     * The expected work is 2^bits hashes.
     */
    public static OptionalLong solve(byte[] challenge, int bits, long startNonce, long maxAttempts) {
        checkBits(bits);
        SHA256Digest prefix = new SHA256Digest();
        prefix.update(challenge, 0, challenge.length);
        byte[] n = new byte[8];
        byte[] out = new byte[32];
        for (long i = 0; i < maxAttempts; i++) {
            long nonce = startNonce + i;
            SHA256Digest d = new SHA256Digest(prefix);
            for (int k = 0; k < 8; k++) {
                n[k] = (byte) (nonce >>> (56 - 8 * k));
            }
            d.update(n, 0, 8);
            d.doFinal(out, 0);
            if (leadingZeroBits(out) >= bits) {
                return OptionalLong.of(nonce);
            }
        }
        return OptionalLong.empty();
    }

    /** True when the nonce meets the difficulty; constant time in the hash value. */
    public static boolean verify(byte[] challenge, long nonce, int bits) {
        if (bits < 0 || bits > MAX_BITS) {
            return false;
        }
        byte[] n = new byte[8];
        for (int k = 0; k < 8; k++) {
            n[k] = (byte) (nonce >>> (56 - 8 * k));
        }
        int zeros = leadingZeroBits(Hashes.sha256(challenge, n));
        // Branch-free comparison: (zeros - bits) is negative exactly when too few zero bits.
        return ((zeros - bits) >>> 31) == 0;
    }

    /** Number of leading zero bits of {@code h}, computed without data-dependent branches or early exit. */
    static int leadingZeroBits(byte[] h) {
        int count = 0;
        int stillZero = 1; // 1 while every byte so far was zero
        for (byte b : h) {
            int v = b & 0xff;
            int lz = Integer.numberOfLeadingZeros(v) - 24; // 8 when v == 0
            count += stillZero * lz;
            int isZero = ((v - 1) >>> 31) & 1; // 1 iff v == 0
            stillZero &= isZero;
        }
        return count;
    }

    private static void checkBits(int bits) {
        if (bits < 0 || bits > MAX_BITS) {
            throw new IllegalArgumentException("proof-of-work difficulty must be 0.." + MAX_BITS + " bits, was " + bits);
        }
    }
}
