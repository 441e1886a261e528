package org.aivillage.vault.internal;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): every local tick is strictly greater than every
 * tick issued or observed before, and stays close to physical time. Thread-safe.
 */
public final class Hlc {
    /** A clock reading. */
    public record Tick(long wall, int counter) implements Comparable<Tick> {
        @Override
        public int compareTo(Tick o) {
            int c = Long.compare(wall, o.wall);
            return c != 0 ? c : Integer.compare(counter, o.counter);
        }
    }

    private final LongSupplier physicalMillis;
    private long wall;
    private int counter;

    public Hlc(LongSupplier physicalMillis) {
        this.physicalMillis = physicalMillis;
    }

    /** A new tick for a local event. */
    public synchronized Tick tick() {
        long pt = physicalMillis.getAsLong();
        if (pt > wall) {
            wall = pt;
            counter = 0;
        } else if (counter == Integer.MAX_VALUE) {
            wall++;
            counter = 0;
        } else {
            counter++;
        }
        return new Tick(wall, counter);
    }

    /** Records a tick seen in a received (or stored) operation, so later local ticks exceed it. */
    public synchronized void observe(long w, int c) {
        if (w > wall || (w == wall && c > counter)) {
            wall = w;
            counter = c;
        }
    }

    public synchronized Tick last() {
        return new Tick(wall, counter);
    }
}
