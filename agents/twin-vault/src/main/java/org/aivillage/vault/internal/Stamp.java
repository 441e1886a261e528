package org.aivillage.vault.internal;

import java.util.Arrays;

/**
 * The total order of CRDT operations: hybrid logical clock (wall milliseconds, counter), then the
 * authoring device key, the change id and the operation's index in its change as tie-breakers.
 */
public record Stamp(long wall, int counter, byte[] device, byte[] changeId, int index) implements Comparable<Stamp> {
    @Override
    public int compareTo(Stamp o) {
        int c = Long.compare(wall, o.wall);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(counter, o.counter);
        if (c != 0) {
            return c;
        }
        c = Arrays.compareUnsigned(device, o.device);
        if (c != 0) {
            return c;
        }
        c = Arrays.compareUnsigned(changeId, o.changeId);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    public boolean after(Stamp o) {
        return compareTo(o) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stamp s && compareTo(s) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(wall) * 31 + counter * 17 + index;
    }
}
