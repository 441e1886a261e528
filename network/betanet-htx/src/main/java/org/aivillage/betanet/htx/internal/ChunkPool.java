package org.aivillage.betanet.htx.internal;

/**
 * Recycles the arrays that carry STREAM plaintext from the frame reader to a stream's reader, so
 * a bulk transfer does not allocate (and zero) a fresh array per frame. A bulk sender's full frames
 * all have the same length, so the pool holds arrays of one length only: the largest recent frame
 * length. A shorter frame (the tail of a write, a write cut by flow-control credit) gets a fresh
 * array and leaves the pool alone; only a run of {@link #SWITCH_AFTER} frames of one other length,
 * or a longer frame, switches the pool to that length. Holds at most {@code maxBytes} (and at most
 * 64 arrays); thread-safe (the connection's reader takes, stream readers give back).
 */
final class ChunkPool {
    /** Consecutive requests for one shorter length after which the pool switches to it. */
    static final int SWITCH_AFTER = 8;

    private final byte[][] free;
    private final long maxBytes;
    private int count;
    private int limit;
    private int length = -1;
    private int otherLength = -1;
    private int otherRun;

    ChunkPool(long maxBytes) {
        this.maxBytes = maxBytes;
        this.free = new byte[64][];
    }

    /** An array of exactly {@code n} bytes, recycled when one of that length is free; contents undefined. */
    synchronized byte[] take(int n) {
        if (n == length) {
            otherRun = 0;
            if (count > 0) {
                byte[] a = free[--count];
                free[count] = null;
                return a;
            }
            return new byte[n];
        }
        if (n > length || (n == otherLength && ++otherRun >= SWITCH_AFTER)) {
            // The sender's frame length changed: arrays of the old length are of no further use.
            java.util.Arrays.fill(free, 0, count, null);
            count = 0;
            length = n;
            limit = (int) Math.min(free.length, maxBytes / Math.max(1, n));
            otherLength = -1;
            otherRun = 0;
        } else if (n != otherLength) {
            otherLength = n;
            otherRun = 1;
        }
        return new byte[n];
    }

    /** Hands back an array nobody reads any more; dropped when full or of another length. */
    synchronized void give(byte[] a) {
        if (a.length == length && count < limit) {
            free[count++] = a;
        }
    }

    synchronized int free() {
        return count;
    }
}
