package org.aivillage.betanet.mixnode.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-hop replay guard. A tag is checked and inserted in memory at once (one bounded
 * {@link TagTable} per live key epoch), then written to the node database in group commits; the
 * packet's onward action runs only after its tag's transaction committed, so a node restarted within
 * the epoch still refuses every packet it ever forwarded. Tables of retired epochs are dropped with
 * their keys.
 *
 * <p>There is no writer thread. A processing thread checks its batch of packets into its own
 * {@link Staging} and {@link #submit}s it; when a commit is due (the thread has nothing else to do,
 * 64 tags are queued, or the oldest has waited 1 ms) the submitting thread that finds the commit
 * lock free commits everything queued (its own tags and the other processing threads') and runs the
 * actions, the others return to their packets at once (flat combining). No packet waits for a
 * thread hand-off or a wake-up before its tag is made durable, an idle node commits at once, a busy
 * one carries many tags per commit, and the committer looks at the queue again after unlocking, so
 * no submitted tag is left behind.
 */
public final class ReplayGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplayGuard.class);

    /** Outcome of {@link #check}. */
    public enum Verdict { FRESH, REPLAY, FULL }

    /** Queued tags that make a commit worth its fixed cost (~12 us of CPU, whatever its size) at once. */
    static final int COMMIT_AT = 64;
    /** The longest a queued tag waits for more to join its commit while its submitters stay busy. */
    static final long MAX_WAIT_NANOS = 1_000_000;

    private record Pending(long epoch, long hi, long lo, Runnable afterCommit) {}

    /** One processing thread's checked-but-not-yet-submitted tags; not thread-safe, one per thread. */
    public static final class Staging {
        private final List<Pending> items = new ArrayList<>();

        public boolean isEmpty() {
            return items.isEmpty();
        }
    }

    private final NodeStore store;
    private final int capacityPerEpoch;
    private final ConcurrentHashMap<Long, TagTable> tables = new ConcurrentHashMap<>();
    /** Tags checked FRESH whose transaction has not committed yet (staged, queued or being written). */
    private final AtomicInteger uncommitted = new AtomicInteger();
    private final int writeQueueCapacity;
    /** Guards {@link #queued}; held only to append or to take. */
    private final ReentrantLock queueLock = new ReentrantLock();
    /** Held by the one thread committing; others never wait for it. */
    private final ReentrantLock commitLock = new ReentrantLock();
    private final List<Pending> queued = new ArrayList<>(1024);
    /** When {@link #queued} last went from empty to non-empty; guarded by {@link #queueLock}. */
    private long oldestQueuedNanos;
    /** The committer's scratch lists (used only while holding {@link #commitLock}). */
    private final List<Pending> batch = new ArrayList<>(1024);
    private final List<long[]> rows = new ArrayList<>(1024);
    private volatile boolean closed;
    private final java.util.concurrent.atomic.LongAdder commits = new java.util.concurrent.atomic.LongAdder();

    public ReplayGuard(NodeStore store, int capacityPerEpoch, int writeQueueCapacity, long liveFromEpoch) throws SQLException {
        this.store = store;
        this.capacityPerEpoch = capacityPerEpoch;
        this.writeQueueCapacity = writeQueueCapacity;
        int loaded = 0;
        for (long[] t : store.loadTags(liveFromEpoch)) {
            table(t[0]).add(t[1], t[2]);
            loaded++;
        }
        if (loaded > 0) {
            log.info("replay guard: restored {} tags of live key epochs", loaded);
        }
    }

    /** The last table looked up: nearly every packet of an epoch hits it, without a map lookup or a boxed key. */
    private record Last(long epoch, TagTable table) {}

    private volatile Last last = new Last(Long.MIN_VALUE, null);

    private TagTable table(long epoch) {
        Last l = last;
        if (l.epoch == epoch) {
            return l.table;
        }
        TagTable t = tables.computeIfAbsent(epoch, e -> new TagTable(capacityPerEpoch));
        last = new Last(epoch, t);
        return t;
    }

    /**
     * Checks a tag and, when fresh, records it and stages {@code afterCommit} in {@code staging}; once
     * the caller {@link #submit}s the staging, the action runs after the tag is durable. FULL means the
     * epoch's table or the write backlog is at its bound: the packet must be dropped.
     */
    public Verdict check(long epoch, byte[] tag, Runnable afterCommit, Staging staging) {
        long hi = NodeStore.readLong(tag, 0);
        long lo = NodeStore.readLong(tag, 8);
        TagTable.Result r = table(epoch).add(hi, lo);
        if (r == TagTable.Result.DUPLICATE) {
            return Verdict.REPLAY;
        }
        if (r == TagTable.Result.FULL) {
            return Verdict.FULL;
        }
        if (uncommitted.incrementAndGet() > writeQueueCapacity) {
            uncommitted.decrementAndGet();
            // Could not make it durable: keep it in memory (still refused) but do not act on the packet.
            return Verdict.FULL;
        }
        staging.items.add(new Pending(epoch, hi, lo, afterCommit));
        return Verdict.FRESH;
    }

    /**
     * Hands everything staged to the committer and empties the staging. The tags are committed now
     * (by this thread, unless another is committing and will pick them up) when {@code idle} (the
     * caller has no more packets waiting), when {@link #COMMIT_AT} tags are queued, or when the oldest
     * queued tag has waited {@link #MAX_WAIT_NANOS}; otherwise they wait for the next submit or
     * {@link #flush}, so that one commit carries many tags. A caller that is about to wait for work
     * must call {@link #flush} first.
     */
    public void submit(Staging staging, boolean idle) {
        if (staging.items.isEmpty()) {
            if (idle) {
                flush();
            }
            return;
        }
        boolean commitNow;
        long now = System.nanoTime();
        queueLock.lock();
        try {
            if (queued.isEmpty()) {
                oldestQueuedNanos = now;
            }
            queued.addAll(staging.items);
            commitNow = idle || queued.size() >= COMMIT_AT || now - oldestQueuedNanos >= MAX_WAIT_NANOS;
        } finally {
            queueLock.unlock();
        }
        staging.items.clear();
        if (commitNow) {
            flush();
        }
    }

    /**
     * Commits everything queued (and runs the packets' actions) unless another thread is committing,
     * which then commits it: after unlocking, the committer looks again, so a batch queued while it
     * was committing (whose submitter found the commit lock taken) is always seen by one of the two.
     */
    public void flush() {
        while (!nothingQueued() && commitLock.tryLock()) {
            try {
                commitQueued();
            } finally {
                commitLock.unlock();
            }
        }
    }

    private boolean nothingQueued() {
        queueLock.lock();
        try {
            return queued.isEmpty();
        } finally {
            queueLock.unlock();
        }
    }

    /** Commits what is queued and runs its actions; called with {@link #commitLock} held. */
    private void commitQueued() {
        queueLock.lock();
        try {
            batch.addAll(queued);
            queued.clear();
        } finally {
            queueLock.unlock();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (closed) {
                log.warn("replay guard closed: {} packets dropped", batch.size());
                return;
            }
            for (Pending p : batch) {
                rows.add(new long[] {p.epoch, p.hi, p.lo});
            }
            store.addTags(rows);
            commits.increment();
            for (Pending p : batch) {
                try {
                    p.afterCommit.run();
                } catch (RuntimeException e) {
                    log.warn("post-commit action failed", e);
                }
            }
        } catch (SQLException e) {
            log.error("replay tags could not be stored; {} packets dropped", batch.size(), e);
        } finally {
            uncommitted.addAndGet(-batch.size());
            batch.clear();
            rows.clear();
        }
    }

    /** Whether {@code tag} was already accepted in {@code epoch} (read only: {@link #check} decides). */
    public boolean seen(long epoch, byte[] tag) {
        Last l = last;
        TagTable t = l.epoch == epoch ? l.table : tables.get(epoch);
        return t != null && t.contains(NodeStore.readLong(tag, 0), NodeStore.readLong(tag, 8));
    }

    /** Group commits so far (tags per commit = tags stored / this). */
    public long commitCount() {
        return commits.sum();
    }

    /** Tags checked fresh and not yet committed. */
    public int queueDepth() {
        return uncommitted.get();
    }

    public int tagsInMemory() {
        return tables.values().stream().mapToInt(TagTable::size).sum();
    }

    /** Forgets epochs before {@code epoch} in memory (the store deletes them with the keys). */
    public void retireBefore(long epoch) {
        tables.keySet().removeIf(e -> e < epoch);
        last = new Last(Long.MIN_VALUE, null);
    }

    /**
     * Commits whatever is still queued (waiting for a thread that is committing to finish), then
     * refuses further commits: packets submitted later are dropped, never forwarded without a durable tag.
     */
    @Override
    public void close() {
        commitLock.lock();
        try {
            commitQueued();
            closed = true;
        } finally {
            commitLock.unlock();
        }
    }
}
