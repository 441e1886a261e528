package org.aivillage.betanet.htx.internal;

import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link ReplayCache} in this process's memory: forgotten on restart. */
final class MemoryReplayCache implements ReplayCache {
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

    MemoryReplayCache(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
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
        expiry.put(key, ReplayCache.expiry(now, hour));
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

    @Override
    public synchronized int size() {
        return expiry.size();
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
