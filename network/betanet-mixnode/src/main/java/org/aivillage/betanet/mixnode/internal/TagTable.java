package org.aivillage.betanet.mixnode.internal;

/**
 * A bounded set of 16-byte replay tags (two longs each) with linear probing: no per-entry objects,
 * grows by doubling while at most half full, never beyond {@code capacity} tags (about 32 to 64
 * bytes per stored tag). Thread-safe.
 */
public final class TagTable {
    /** Outcome of {@link #add}. */
    public enum Result { ADDED, DUPLICATE, FULL }

    private long[] slots;
    private int mask;
    private final int capacity;
    private int size;
    private boolean hasZero;

    public TagTable(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity out of range");
        }
        int n = Math.min(1024, Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1);
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
                if ((size + 1) * 2 > mask + 1) {
                    grow();
                    return add(hi, lo);
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

    private void grow() {
        long[] old = slots;
        int n = (mask + 1) * 2;
        slots = new long[n * 2];
        mask = n - 1;
        for (int j = 0; j < old.length; j += 2) {
            long h = old[j];
            long l = old[j + 1];
            if (h != 0 || l != 0) {
                int i = (int) (mix(h ^ Long.rotateLeft(l, 17))) & mask;
                while (slots[2 * i] != 0 || slots[2 * i + 1] != 0) {
                    i = (i + 1) & mask;
                }
                slots[2 * i] = h;
                slots[2 * i + 1] = l;
            }
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
