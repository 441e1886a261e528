package org.aivillage.betanet.htx.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an action (closing a socket) unless disarmed before the timeout: bounds a whole multi-step
 * exchange where per-read timeouts would not. One sleeping virtual thread.
 */
public final class Watchdog implements AutoCloseable {
    private static final int ARMED = 0;
    private static final int DISARMED = 1;
    private static final int FIRED = 2;
    private final CountDownLatch disarmed = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(ARMED);

    private Watchdog(Duration timeout, Runnable action) {
        Thread.ofVirtual().name("htx-watchdog").start(() -> {
            try {
                if (!disarmed.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && state.compareAndSet(ARMED, FIRED)) {
                    action.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public static Watchdog arm(Duration timeout, Runnable action) {
        return new Watchdog(timeout, action);
    }

    /** Disarms; returns false when the action has run (the timeout passed). */
    public boolean disarm() {
        state.compareAndSet(ARMED, DISARMED);
        disarmed.countDown();
        return state.get() != FIRED;
    }

    public boolean fired() {
        return state.get() == FIRED;
    }

    @Override
    public void close() {
        disarm();
    }
}
