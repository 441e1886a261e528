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
        byte[] b = pool.take(50); // the length changed: the old arrays are released
        assertThat(b).hasSize(50).isNotSameAs(a);
        assertThat(pool.free()).isZero();
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
