package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPoolTest {
    @Test
    void recyclesArraysOfTheCurrentLengthOnly() {
        ChunkPool pool = new ChunkPool(4 * 100);
        byte[] a = pool.take(100);
        assertThat(a).hasSize(100);
        pool.give(a);
        assertThat(pool.take(100)).isSameAs(a);
        pool.give(new byte[99]); // another length: dropped
        assertThat(pool.free()).isZero();
        pool.give(a);
        byte[] c = pool.take(200); // longer frames: the pool switches to them
        assertThat(c).hasSize(200);
        assertThat(pool.free()).isZero();
        pool.give(c);
        assertThat(pool.take(200)).isSameAs(c);
    }

    @Test
    void aShortFrameDoesNotEvictThePool() {
        // A bulk writer's 1 MiB writes end in a short frame each time: full frames stay pooled.
        ChunkPool pool = new ChunkPool(4 * 100);
        byte[] a = pool.take(100);
        pool.give(a);
        for (int round = 0; round < 20; round++) {
            byte[] full = pool.take(100);
            assertThat(full).isSameAs(a);
            assertThat(pool.take(37)).hasSize(37);
            pool.give(full);
        }
        assertThat(pool.free()).isEqualTo(1);
    }

    @Test
    void aRunOfShorterFramesSwitchesThePool() {
        ChunkPool pool = new ChunkPool(4 * 100);
        pool.give(pool.take(100));
        for (int i = 1; i < ChunkPool.SWITCH_AFTER; i++) {
            pool.take(50);
            assertThat(pool.free()).isEqualTo(1);
        }
        byte[] b = pool.take(50);
        assertThat(pool.free()).isZero();
        pool.give(b);
        assertThat(pool.take(50)).isSameAs(b);
    }

    @Test
    void holdsAtMostItsByteBudget() {
        ChunkPool pool = new ChunkPool(3 * 1000);
        List<byte[]> taken = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            taken.add(pool.take(1000));
        }
        taken.forEach(pool::give);
        assertThat(pool.free()).isEqualTo(3);
        ChunkPool tiny = new ChunkPool(10);
        tiny.give(tiny.take(1000));
        assertThat(tiny.free()).isZero();
    }
}
