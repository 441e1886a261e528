package org.aivillage.bitchat.sim;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.aivillage.bitchat.MeshScheduler;

/**
 * Simulated time for many nodes on one thread: tasks run in time order (ties in scheduling order)
 * when {@link #runFor} or {@link #runUntil} advances the clock. Deterministic for a given seed.
 */
public final class VirtualScheduler implements MeshScheduler {
    private static final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long at, long seq, Runnable body) {
            this.at = at;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final long epochMillis;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowNanos;
    private long seq;
    private long executed;
    private boolean closed;

    /** Starts at {@code epochMillis} (packet timestamps are epochMillis + elapsed simulated time). */
    public VirtualScheduler(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    @Override
    public synchronized long currentTimeMillis() {
        return epochMillis + nowNanos / 1_000_000;
    }

    /** Simulated time elapsed since the start. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        if (closed) {
            return () -> { };
        }
        Task t = new Task(nowNanos + Math.max(0, delay.toNanos()), seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs every task due within {@code duration}, then sets the clock to the end of it. */
    public synchronized void runFor(Duration duration) {
        long end = nowNanos + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= end) {
            runNext();
        }
        nowNanos = end;
    }

    /**
     * Runs tasks until {@code condition} holds (checked after each task) or {@code max} simulated
     * time has passed; returns whether the condition held.
     */
    public synchronized boolean runUntil(BooleanSupplier condition, Duration max) {
        long end = nowNanos + max.toNanos();
        if (condition.getAsBoolean()) {
            return true;
        }
        while (!queue.isEmpty() && queue.peek().at <= end) {
            runNext();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        nowNanos = end;
        return condition.getAsBoolean();
    }

    /** Tasks run so far. */
    public synchronized long executed() {
        return executed;
    }

    private void runNext() {
        Task t = queue.poll();
        nowNanos = Math.max(nowNanos, t.at);
        if (!t.cancelled) {
            executed++;
            t.body.run();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
