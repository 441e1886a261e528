package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.aivillage.betanet.mixnode.internal.TagTable;
import org.junit.jupiter.api.Test;

class TagTableTest {
    @Test
    void growsUpToItsBoundAndRemembersEveryTag() {
        TagTable t = new TagTable(50_000);
        Random r = new Random(1);
        long[][] tags = new long[50_000][];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new long[] {r.nextLong(), r.nextLong()};
            assertThat(t.add(tags[i][0], tags[i][1])).isEqualTo(TagTable.Result.ADDED);
        }
        assertThat(t.add(0, 0)).isEqualTo(TagTable.Result.FULL);
        assertThat(t.add(r.nextLong(), r.nextLong())).isEqualTo(TagTable.Result.FULL);
        for (long[] tag : tags) {
            assertThat(t.add(tag[0], tag[1])).isEqualTo(TagTable.Result.DUPLICATE);
            assertThat(t.contains(tag[0], tag[1])).isTrue();
        }
        assertThat(t.size()).isEqualTo(50_000);
        TagTable z = new TagTable(2);
        assertThat(z.add(0, 0)).isEqualTo(TagTable.Result.ADDED);
        assertThat(z.add(0, 0)).isEqualTo(TagTable.Result.DUPLICATE);
    }
}
