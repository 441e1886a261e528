package org.aivillage.betanet.mixnode.internal;

/**
 * A fixed-capacity set of 16-byte replay tags (two longs each) with linear probing: about 40 bytes
 * per tag of capacity, no per-entry objects, never grows. Thread-safe.
 */
public final class TagTable {
    /** Outcome of {@link #add}. */
    public enum Result { ADDED, DUPLICATE, FULL }

    private final long[] slots;
    private final int mask;
    private final int capacity;
    private int size;
    private boolean hasZero;

    public TagTable(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity out of range");
        }
        int n = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
        this.slots = new long[n * 2];
        this.mask = n - 1;
        this.capacity = capacity;
    }

    public synchronized Result add(long hi, long lo) {
        if (hi == 0 && lo == 0) {
            if (hasZero) {
                return Result.DUPLICATE;
            }
            if (size >= capacity) {
                return Result.FULL;
            }
            hasZero = true;
            size++;
            return Result.ADDED;
        }
        int i = (int) (mix(hi ^ Long.rotateLeft(lo, 17))) & mask;
        while (true) {
            long h = slots[2 * i];
            long l = slots[2 * i + 1];
            if (h == 0 && l == 0) {
                if (size >= capacity) {
                    return Result.FULL;
                }
                slots[2 * i] = hi;
                slots[2 * i + 1] = lo;
                size++;
                return Result.ADDED;
            }
            if (h == hi && l == lo) {
                return Result.DUPLICATE;
            }
            i = (i + 1) & mask;
        }
    }

    public synchronized boolean contains(long hi, long lo) {
        if (hi == 0 && lo == 0) {
            return hasZero;
        }
        int i = (int) (mix(hi ^ Long.rotateLeft(lo, 17))) & mask;
        while (true) {
            long h = slots[2 * i];
            long l = slots[2 * i + 1];
            if (h == 0 && l == 0) {
                return false;
            }
            if (h == hi && l == lo) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
