package org.aivillage.bitchat.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Duplicate suppression: a bounded set of 64-bit packet IDs in insertion order that forgets an ID
 * after {@code maxAgeMillis} or when {@code capacity} newer IDs have been added (an LRU that ages).
 * Exact (no false positives), O(1) per operation. Not thread-safe: the router serialises access.
 */
public final class DuplicateFilter {
    private final int capacity;
    private final long maxAgeMillis;
    private final LinkedHashMap<Long, Long> seenAt;

    public DuplicateFilter(int capacity, long maxAgeMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.maxAgeMillis = maxAgeMillis;
        this.seenAt = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1);
    }

    /** Whether {@code id} was seen within the age limit. */
    public boolean contains(long id, long nowMillis) {
        expire(nowMillis);
        return seenAt.containsKey(id);
    }

    /** Records {@code id}; returns false when it was already there (a duplicate). */
    public boolean markIfNew(long id, long nowMillis) {
        expire(nowMillis);
        if (seenAt.containsKey(id)) {
            return false;
        }
        seenAt.put(id, nowMillis);
        if (seenAt.size() > capacity) {
            Iterator<Long> it = seenAt.keySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    public int size() {
        return seenAt.size();
    }

    private void expire(long nowMillis) {
        Iterator<Map.Entry<Long, Long>> it = seenAt.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (nowMillis - e.getValue() <= maxAgeMillis) {
                return;
            }
            it.remove();
        }
    }
}
