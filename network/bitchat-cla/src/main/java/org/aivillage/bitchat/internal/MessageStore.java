package org.aivillage.bitchat.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.Priority;

/**
 * A bounded store of messages waiting for someone: keyed, with a recipient, a priority and an
 * expiry. When full, adding evicts the entry of lowest priority, oldest first (which may be the new
 * entry itself). Not thread-safe: the router serialises access.
 */
public final class MessageStore<T> {

    /** One stored message. */
    public static final class Entry<T> {
        final String key;
        final MeshPeerId recipient;
        final Priority priority;
        final long storedAt;
        final long expiresAt;
        final long seq;
        final T value;

        Entry(String key, MeshPeerId recipient, Priority priority, long storedAt, long expiresAt, long seq, T value) {
            this.key = key;
            this.recipient = recipient;
            this.priority = priority;
            this.storedAt = storedAt;
            this.expiresAt = expiresAt;
            this.seq = seq;
            this.value = value;
        }

        public String key() {
            return key;
        }

        public MeshPeerId recipient() {
            return recipient;
        }

        public Priority priority() {
            return priority;
        }

        public long storedAt() {
            return storedAt;
        }

        public long expiresAt() {
            return expiresAt;
        }

        public T value() {
            return value;
        }
    }

    private static final Comparator<Entry<?>> EVICTION_ORDER =
            Comparator.<Entry<?>, Priority>comparing(e -> e.priority).thenComparingLong(e -> e.seq);
    /** Send order: highest priority first, then oldest. */
    public static final Comparator<Entry<?>> SEND_ORDER =
            Comparator.<Entry<?>, Priority>comparing(e -> e.priority).reversed().thenComparingLong(e -> e.seq);

    private final int capacity;
    private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>();
    /** The same entries in eviction order, so that a full store evicts in O(log n). */
    private final TreeSet<Entry<T>> byEviction = new TreeSet<>(EVICTION_ORDER);
    private long nextSeq;

    public MessageStore(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds an entry (replacing one with the same key); returns the entries evicted to stay within
     * capacity, possibly including the new one.
     */
    public List<Entry<T>> add(String key, MeshPeerId recipient, Priority priority, long now, long expiresAt, T value) {
        remove(key);
        Entry<T> e = new Entry<>(key, recipient, priority, now, expiresAt, nextSeq++, value);
        entries.put(key, e);
        byEviction.add(e);
        List<Entry<T>> evicted = List.of();
        while (entries.size() > capacity) {
            Entry<T> victim = byEviction.pollFirst();
            entries.remove(victim.key);
            if (evicted.isEmpty()) {
                evicted = new ArrayList<>(1);
            }
            evicted.add(victim);
        }
        return evicted;
    }

    public Entry<T> get(String key) {
        return entries.get(key);
    }

    public Entry<T> remove(String key) {
        Entry<T> e = entries.remove(key);
        if (e != null) {
            byEviction.remove(e);
        }
        return e;
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** Entries for {@code recipient}, highest priority first. */
    public List<Entry<T>> forRecipient(MeshPeerId recipient) {
        List<Entry<T>> out = new ArrayList<>();
        for (Entry<T> e : entries.values()) {
            if (recipient.equals(e.recipient)) {
                out.add(e);
            }
        }
        out.sort(SEND_ORDER);
        return out;
    }

    /** The newest {@code limit} entries, highest priority first. */
    public List<Entry<T>> newest(int limit) {
        List<Entry<T>> all = new ArrayList<>(entries.values());
        int from = Math.max(0, all.size() - limit);
        List<Entry<T>> out = new ArrayList<>(all.subList(from, all.size()));
        out.sort(SEND_ORDER);
        return out;
    }

    /** Removes and returns the entries that expired by {@code now}. */
    public List<Entry<T>> expire(long now) {
        List<Entry<T>> out = List.of();
        Iterator<Entry<T>> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry<T> e = it.next();
            if (e.expiresAt <= now) {
                it.remove();
                byEviction.remove(e);
                if (out.isEmpty()) {
                    out = new ArrayList<>();
                }
                out.add(e);
            }
        }
        return out;
    }

    public List<Entry<T>> values() {
        return new ArrayList<>(entries.values());
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        entries.clear();
        byEviction.clear();
    }
}
