package org.aivillage.bitchat;

import java.time.Duration;

/**
 * The clock and timer of a mesh node. {@link #system()} is wall-clock time with one timer thread;
 * {@code org.aivillage.bitchat.sim.VirtualScheduler} runs many nodes in simulated time on one thread.
 */
public interface MeshScheduler extends AutoCloseable {

    /** A scheduled task that may be cancelled. */
    interface Cancellable {
        void cancel();
    }

    /** Milliseconds since the epoch (packet timestamps). */
    long currentTimeMillis();

    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops the timer; pending tasks are discarded. */
    @Override
    void close();

    /** Wall-clock time; one daemon timer thread per scheduler. */
    static MeshScheduler system() {
        return new org.aivillage.bitchat.internal.SystemScheduler();
    }
}
