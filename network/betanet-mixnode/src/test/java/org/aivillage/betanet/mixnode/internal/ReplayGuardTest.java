package org.aivillage.betanet.mixnode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The combining committer: every fresh tag is stored and its action run exactly once, none left behind. */
class ReplayGuardTest {
    @TempDir
    Path dir;

    private static byte[] tag(int thread, int i) {
        byte[] t = new byte[16];
        NodeStore.writeLong(t, 0, thread + 1L);
        NodeStore.writeLong(t, 8, i + 1L);
        return t;
    }

    @Test
    void concurrentSubmittersEveryActionRunsOnceAndEveryTagIsStored() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        Path file = dir.resolve("node.db");
        Set<String> replayActionsRun = ConcurrentHashMap.newKeySet();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger wrongVerdicts = new AtomicInteger();
        ConcurrentHashMap<String, Integer> runs = new ConcurrentHashMap<>();
        try (NodeStore store = new NodeStore(file)) {
            ReplayGuard guard = new ReplayGuard(store, 1 << 20, 1 << 20, 0);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    ReplayGuard.Staging staging = new ReplayGuard.Staging();
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        String key = (id + 1) + ":" + (i + 1);
                        ReplayGuard.Verdict v = guard.check(5, tag(id, i), () -> {
                            runs.merge(key, 1, Integer::sum);
                            ran.incrementAndGet();
                        }, staging);
                        if (v != ReplayGuard.Verdict.FRESH) {
                            wrongVerdicts.incrementAndGet();
                        }
                        // The same tag again, before or after submission: always a replay.
                        if (guard.check(5, tag(id, i), () -> replayActionsRun.add(key), staging)
                                != ReplayGuard.Verdict.REPLAY) {
                            wrongVerdicts.incrementAndGet();
                        }
                        if (i % 7 == 6) {
                            // Busy: committed only once enough is queued or the oldest waited long enough.
                            guard.submit(staging, false);
                        }
                    }
                    guard.submit(staging, true);
                }));
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(wrongVerdicts.get()).isZero();
            // Every submitter has returned: nothing may be left queued without a committer.
            assertThat(guard.queueDepth()).isZero();
            assertThat(ran.get()).isEqualTo(threads * perThread);
            assertThat(runs.values()).allMatch(n -> n == 1);
            assertThat(replayActionsRun).isEmpty();
            Set<String> stored = new HashSet<>();
            for (long[] row : store.loadTags(0)) {
                stored.add(row[1] + ":" + row[2]);
            }
            assertThat(stored).hasSize(threads * perThread).containsAll(runs.keySet());
            guard.close();
        }
        // Restarted within the epoch: every tag is refused.
        try (NodeStore store = new NodeStore(file)) {
            ReplayGuard guard = new ReplayGuard(store, 1 << 20, 1 << 20, 0);
            ReplayGuard.Staging staging = new ReplayGuard.Staging();
            assertThat(guard.check(5, tag(2, 17), () -> { }, staging)).isEqualTo(ReplayGuard.Verdict.REPLAY);
            assertThat(guard.seen(5, tag(0, perThread - 1))).isTrue();
            guard.close();
        }
    }

    @Test
    void backlogBoundRefusesWithoutActingAndClosedGuardDropsLateBatches() throws Exception {
        try (NodeStore store = new NodeStore(dir.resolve("bound.db"))) {
            ReplayGuard guard = new ReplayGuard(store, 1000, 3, 0);
            ReplayGuard.Staging staging = new ReplayGuard.Staging();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                assertThat(guard.check(1, tag(0, i), ran::incrementAndGet, staging)).isEqualTo(ReplayGuard.Verdict.FRESH);
            }
            // Three staged and not yet committed: the fourth is refused, and stays refused as a replay.
            assertThat(guard.check(1, tag(0, 3), ran::incrementAndGet, staging)).isEqualTo(ReplayGuard.Verdict.FULL);
            assertThat(guard.check(1, tag(0, 3), ran::incrementAndGet, staging)).isEqualTo(ReplayGuard.Verdict.REPLAY);
            assertThat(ran.get()).isZero();
            guard.submit(staging, false);
            // Three queued by a busy caller: below the commit threshold, not yet acted on.
            assertThat(ran.get()).isZero();
            assertThat(guard.queueDepth()).isEqualTo(3);
            assertThat(guard.commitCount()).isZero();
            guard.flush();
            assertThat(ran.get()).isEqualTo(3);
            assertThat(guard.commitCount()).isEqualTo(1);
            assertThat(guard.queueDepth()).isZero();
            assertThat(guard.check(1, tag(0, 4), ran::incrementAndGet, staging)).isEqualTo(ReplayGuard.Verdict.FRESH);
            guard.close();
            guard.submit(staging, true);
            assertThat(ran.get()).isEqualTo(3);
            assertThat(store.loadTags(0)).hasSize(3);
        }
    }

    @Test
    void busySubmittersCommitAtTheThresholdOrWhenTheOldestTagHasWaited() throws Exception {
        try (NodeStore store = new NodeStore(dir.resolve("busy.db"))) {
            ReplayGuard guard = new ReplayGuard(store, 10_000, 10_000, 0);
            ReplayGuard.Staging staging = new ReplayGuard.Staging();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < ReplayGuard.COMMIT_AT - 1; i++) {
                guard.check(3, tag(1, i), ran::incrementAndGet, staging);
                guard.submit(staging, false);
            }
            assertThat(ran.get()).isZero();
            guard.check(3, tag(1, ReplayGuard.COMMIT_AT), ran::incrementAndGet, staging);
            guard.submit(staging, false);
            assertThat(ran.get()).isEqualTo(ReplayGuard.COMMIT_AT);

            guard.check(3, tag(2, 0), ran::incrementAndGet, staging);
            guard.submit(staging, false);
            long queuedAt = System.nanoTime();
            while (System.nanoTime() - queuedAt < ReplayGuard.MAX_WAIT_NANOS * 2) {
                Thread.onSpinWait();
            }
            guard.check(3, tag(2, 1), ran::incrementAndGet, staging);
            guard.submit(staging, false);
            assertThat(ran.get()).isEqualTo(ReplayGuard.COMMIT_AT + 2);
            assertThat(store.loadTags(3)).hasSize(ReplayGuard.COMMIT_AT + 2);
            guard.close();
        }
    }
}
