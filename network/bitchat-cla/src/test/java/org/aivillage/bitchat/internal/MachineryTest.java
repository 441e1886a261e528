package org.aivillage.bitchat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.Priority;
import org.aivillage.bitchat.wire.FragmentPayload;
import org.junit.jupiter.api.Test;

class MachineryTest {

    @Test
    void duplicateFilterForgetsByAgeAndCapacity() {
        DuplicateFilter f = new DuplicateFilter(3, 1000);
        assertThat(f.markIfNew(1, 0)).isTrue();
        assertThat(f.markIfNew(1, 10)).isFalse();
        assertThat(f.contains(1, 999)).isTrue();
        assertThat(f.contains(1, 1001)).isFalse(); // aged out
        f.markIfNew(2, 1100);
        f.markIfNew(3, 1100);
        f.markIfNew(4, 1100);
        f.markIfNew(5, 1100);
        assertThat(f.size()).isEqualTo(3);
        assertThat(f.contains(2, 1100)).isFalse(); // evicted: capacity 3
        assertThat(f.contains(5, 1100)).isTrue();
    }

    @Test
    void replayWindowAcceptsEachNonceOnceWithinTheWindow() {
        qt().withExamples(300).forAll(lists().of(longs().between(0, 5000)).ofSizeBetween(1, 400)).checkAssert(nonces -> {
            ReplayWindow w = new ReplayWindow();
            Set<Long> accepted = new HashSet<>();
            long highest = -1;
            for (long n : nonces) {
                boolean expected = !accepted.contains(n) && (highest < 0 || n > highest - ReplayWindow.SIZE);
                assertThat(w.check(n)).as("nonce %d after %s", n, accepted).isEqualTo(expected);
                if (expected) {
                    w.mark(n);
                    accepted.add(n);
                    highest = Math.max(highest, n);
                }
            }
        });
    }

    @Test
    void fragmentAssemblerReassemblesOutOfOrderAndRespectsBounds() {
        MeshPeerId a = MeshPeerId.ofLong(1);
        byte[] id = {1, 2, 3, 4, 5, 6, 7, 8};
        FragmentAssembler fa = new FragmentAssembler(2, 1000, 5000, 600);
        assertThat(fa.add(a, new FragmentPayload(id, 1, 3, 2, new byte[] {4, 5}), 0).outcome())
                .isEqualTo(FragmentAssembler.Outcome.STORED);
        assertThat(fa.add(a, new FragmentPayload(id, 1, 3, 2, new byte[] {4, 5}), 0).outcome())
                .isEqualTo(FragmentAssembler.Outcome.DUPLICATE);
        fa.add(a, new FragmentPayload(id, 2, 3, 2, new byte[] {6}), 0);
        FragmentAssembler.Result r = fa.add(a, new FragmentPayload(id, 0, 3, 2, new byte[] {1, 2, 3}), 0);
        assertThat(r.outcome()).isEqualTo(FragmentAssembler.Outcome.COMPLETE);
        assertThat(r.reassembled()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(fa.inProgress()).isZero();
        assertThat(fa.bufferedBytes()).isZero();
        // a fragment that disagrees on the total drops the assembly
        fa.add(a, new FragmentPayload(id, 0, 3, 2, new byte[] {1}), 0);
        assertThat(fa.add(a, new FragmentPayload(id, 1, 4, 2, new byte[] {1}), 0).outcome())
                .isEqualTo(FragmentAssembler.Outcome.REJECTED);
        // at most two assemblies: the oldest goes
        for (int k = 0; k < 3; k++) {
            byte[] other = {9, 9, 9, 9, 9, 9, 9, (byte) k};
            fa.add(a, new FragmentPayload(other, 0, 2, 2, new byte[] {1}), k);
        }
        assertThat(fa.inProgress()).isEqualTo(2);
        // timeout
        fa.expire(10_000);
        assertThat(fa.inProgress()).isZero();
        assertThat(fa.bufferedBytes()).isZero();
        // a packet larger than the limit is refused
        assertThat(fa.add(a, new FragmentPayload(id, 0, 2, 2, new byte[601]), 0).outcome())
                .isEqualTo(FragmentAssembler.Outcome.REJECTED);
    }

    @Test
    void messageStoreEvictsLowestPriorityOldestFirst() {
        MessageStore<String> s = new MessageStore<>(3);
        MeshPeerId r = MeshPeerId.ofLong(7);
        assertThat(s.add("a", r, Priority.NORMAL, 0, 100, "a")).isEmpty();
        s.add("b", r, Priority.LOW, 1, 100, "b");
        s.add("c", r, Priority.HIGH, 2, 100, "c");
        List<MessageStore.Entry<String>> evicted = s.add("d", r, Priority.NORMAL, 3, 100, "d");
        assertThat(evicted).extracting(MessageStore.Entry::key).containsExactly("b");
        evicted = s.add("e", r, Priority.LOW, 4, 100, "e");
        assertThat(evicted).extracting(MessageStore.Entry::key).containsExactly("e"); // the newcomer is lowest
        assertThat(s.forRecipient(r)).extracting(MessageStore.Entry::key).containsExactly("c", "a", "d");
        s.add("f", r, Priority.CRITICAL, 5, 50, "f");
        assertThat(s.expire(60)).extracting(MessageStore.Entry::key).containsExactly("f");
    }
}
