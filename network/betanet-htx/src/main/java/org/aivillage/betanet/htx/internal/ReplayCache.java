package org.aivillage.betanet.htx.internal;

import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers accepted (cliPub, hour) pairs so a ticket is accepted once (Betanet 1.1 §5.2). An
 * entry lives at least 2 hours and until its hour can no longer be accepted (end of hour+1).
 * Bounded: when full of live entries, {@link #firstUse} answers {@link Result#FULL} and the caller
 * refuses the ticket.
 */
public final class ReplayCache {
    public enum Result { FIRST_USE, REPLAY, FULL }

    private record Key(byte[] clientPublic, long hour) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hour == hour && Arrays.equals(k.clientPublic, clientPublic);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(clientPublic) * 31 + Long.hashCode(hour);
        }
    }

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<Key, Long> expiry = new LinkedHashMap<>();

    public ReplayCache(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Records the pair if new; thread-safe. */
    public synchronized Result firstUse(byte[] clientPublic, long hour) {
        long now = clock.millis();
        sweep(now);
        Key key = new Key(clientPublic.clone(), hour);
        Long until = expiry.get(key);
        if (until != null && until > now) {
            return Result.REPLAY;
        }
        if (expiry.size() >= capacity) {
            return Result.FULL;
        }
        long ttl = Math.max(now + 2 * 3_600_000L, (hour + 2) * 3_600_000L);
        expiry.put(key, ttl);
        return Result.FIRST_USE;
    }

    private void sweep(long now) {
        // Insertion order is close to expiry order; stop at the first live entry after a bounded scan.
        Iterator<Map.Entry<Key, Long>> it = expiry.entrySet().iterator();
        int scanned = 0;
        while (it.hasNext()) {
            Map.Entry<Key, Long> e = it.next();
            if (e.getValue() <= now) {
                it.remove();
            } else if (++scanned >= 8) {
                break;
            }
        }
    }

    public synchronized int size() {
        return expiry.size();
    }
}
