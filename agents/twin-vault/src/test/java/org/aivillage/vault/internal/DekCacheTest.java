package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DekCacheTest {
    static byte[] b(int n, int v) {
        byte[] x = new byte[n];
        java.util.Arrays.fill(x, (byte) v);
        return x;
    }

    @Test
    void aKeyIsServedOnlyForTheWrappedBytesItCameFrom() {
        DekCache c = new DekCache(8);
        byte[] key = b(32, 7);
        c.put(c.epoch(), "t", b(73, 1), key);
        key[0] = 0; // the cache holds its own copy
        assertThat(c.get("t", b(73, 1))).isEqualTo(b(32, 7));
        assertThat(c.get("t", b(73, 2))).as("rotated or tampered wrapped key").isNull();
        assertThat(c.get("u", b(73, 1))).isNull();
        byte[] copy = c.get("t", b(73, 1));
        copy[0] = 0;
        assertThat(c.get("t", b(73, 1))).as("callers wipe their copy, not the cache's").isEqualTo(b(32, 7));
    }

    @Test
    void invalidationWinsOverAConcurrentUnwrap() {
        DekCache c = new DekCache(8);
        long before = c.epoch();
        c.invalidate("t");                       // an erase commits while a reader was unwrapping
        c.put(before, "t", b(73, 1), b(32, 7));  // the reader's late put is dropped
        assertThat(c.get("t", b(73, 1))).isNull();
        assertThat(c.size()).isZero();
    }

    @Test
    void itIsBoundedAndEvictsTheLeastRecentlyUsed() {
        DekCache c = new DekCache(3);
        for (int i = 0; i < 3; i++) {
            c.put(c.epoch(), "t" + i, b(73, i), b(32, i));
        }
        c.get("t0", b(73, 0));
        c.put(c.epoch(), "t3", b(73, 3), b(32, 3));
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.get("t1", b(73, 1))).isNull();
        assertThat(c.get("t0", b(73, 0))).isNotNull();
        c.clear();
        assertThat(c.size()).isZero();
    }
}
