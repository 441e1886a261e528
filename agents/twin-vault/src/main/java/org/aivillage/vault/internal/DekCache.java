package org.aivillage.vault.internal;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU cache of unwrapped data keys, so that reading a twin costs one AEAD operation
 * instead of two. An entry is used only while the twin row still holds the very wrapped key it was
 * unwrapped from (compared in full), so a rotated, replaced or tampered wrapped key misses and is
 * unwrapped (and authenticated) again. Crypto-erasure and restores {@link #invalidate} entries;
 * keys are wiped when evicted, invalidated or cleared. The key-encryption key is in memory
 * anyway, so caching data keys does not widen what a memory-reading attacker gets.
 */
public final class DekCache {
    private record Entry(byte[] wrapped, byte[] key) {}

    private final int capacity;
    private final LinkedHashMap<String, Entry> map;
    /** Bumped by every invalidation: a key unwrapped before it is not cached after it. */
    private long epoch;

    public DekCache(int capacity) {
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true);
    }

    public synchronized long epoch() {
        return epoch;
    }

    /** A copy of the cached key of twin {@code id} if it was unwrapped from {@code wrapped}, else null. */
    public synchronized byte[] get(String id, byte[] wrapped) {
        Entry e = map.get(id);
        return e != null && Arrays.equals(e.wrapped, wrapped) ? e.key.clone() : null;
    }

    /**
     * A copy of the cached key of twin {@code id} without comparing the wrapped key, or null. For
     * the read path that does not load the twin row: a key that does not open the record sends
     * it back to the full path, which compares the wrapped key.
     */
    public synchronized byte[] getTrusted(String id) {
        Entry e = map.get(id);
        return e != null ? e.key.clone() : null;
    }

    /** Caches a copy of {@code key}, unless an invalidation happened since {@code epochBefore}. */
    public synchronized void put(long epochBefore, String id, byte[] wrapped, byte[] key) {
        if (epochBefore != epoch || capacity == 0) {
            return;
        }
        Entry old = map.put(id, new Entry(wrapped.clone(), key.clone()));
        if (old != null) {
            Arrays.fill(old.key, (byte) 0);
        }
        if (map.size() > capacity) {
            Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
            Arrays.fill(it.next().getValue().key, (byte) 0);
            it.remove();
        }
    }

    /** Forgets and wipes the key of twin {@code id}. */
    public synchronized void invalidate(String id) {
        epoch++;
        Entry e = map.remove(id);
        if (e != null) {
            Arrays.fill(e.key, (byte) 0);
        }
    }

    /** Forgets and wipes every key. */
    public synchronized void clear() {
        epoch++;
        map.values().forEach(e -> Arrays.fill(e.key, (byte) 0));
        map.clear();
    }

    public synchronized int size() {
        return map.size();
    }
}
