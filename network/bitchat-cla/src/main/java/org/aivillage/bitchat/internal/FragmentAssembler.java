package org.aivillage.bitchat.internal;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.wire.FragmentPayload;

/**
 * Reassembles fragmented packets, keyed by (sender, fragment ID). Bounded three ways: at most
 * {@code maxAssemblies} in progress (the oldest is dropped to make room), at most {@code maxBytes}
 * buffered in total, and an assembly that does not complete within {@code timeoutMillis} is
 * dropped. Fragments that disagree with their assembly (other total or original type) drop it.
 * Not thread-safe: the router serialises access.
 */
public final class FragmentAssembler {
    /** What happened to one fragment. */
    public enum Outcome { STORED, DUPLICATE, COMPLETE, REJECTED }

    /** The result of {@link #add}: the reassembled bytes when {@link Outcome#COMPLETE}. */
    public record Result(Outcome outcome, byte[] reassembled, int originalType) {
    }

    private record Key(MeshPeerId sender, long fragmentId) {
    }

    private static final class Assembly {
        final int total;
        final int originalType;
        final byte[][] parts;
        final long startedAt;
        int received;
        long bytes;

        Assembly(int total, int originalType, long startedAt) {
            this.total = total;
            this.originalType = originalType;
            this.parts = new byte[total][];
            this.startedAt = startedAt;
        }
    }

    private final int maxAssemblies;
    private final long maxBytes;
    private final long timeoutMillis;
    private final int maxPacketBytes;
    private final LinkedHashMap<Key, Assembly> assemblies = new LinkedHashMap<>();
    private long bufferedBytes;
    private long dropped;

    public FragmentAssembler(int maxAssemblies, long maxBytes, long timeoutMillis, int maxPacketBytes) {
        this.maxAssemblies = maxAssemblies;
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
        this.maxPacketBytes = maxPacketBytes;
    }

    public Result add(MeshPeerId sender, FragmentPayload f, long nowMillis) {
        Objects.requireNonNull(sender);
        expire(nowMillis);
        Key key = new Key(sender, f.idAsLong());
        Assembly a = assemblies.get(key);
        if (a == null) {
            if (f.total() > maxPacketBytes) { // every fragment carries at least one byte
                dropped++;
                return new Result(Outcome.REJECTED, null, -1);
            }
            while (assemblies.size() >= maxAssemblies) {
                dropOldest();
            }
            a = new Assembly(f.total(), f.originalType(), nowMillis);
            assemblies.put(key, a);
        } else if (a.total != f.total() || a.originalType != f.originalType()) {
            remove(key, a);
            dropped++;
            return new Result(Outcome.REJECTED, null, -1);
        }
        if (a.parts[f.index()] != null) {
            return new Result(Outcome.DUPLICATE, null, -1);
        }
        if (a.bytes + f.data().length > maxPacketBytes) {
            remove(key, a);
            dropped++;
            return new Result(Outcome.REJECTED, null, -1);
        }
        while (bufferedBytes + f.data().length > maxBytes) {
            Key victim = null;
            for (Key k : assemblies.keySet()) {
                if (!k.equals(key)) {
                    victim = k;
                    break;
                }
            }
            if (victim == null) {
                remove(key, a);
                dropped++;
                return new Result(Outcome.REJECTED, null, -1);
            }
            remove(victim, assemblies.get(victim));
            dropped++;
        }
        a.parts[f.index()] = f.data();
        a.received++;
        a.bytes += f.data().length;
        bufferedBytes += f.data().length;
        if (a.received < a.total) {
            return new Result(Outcome.STORED, null, -1);
        }
        remove(key, a);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) a.bytes);
        for (byte[] part : a.parts) {
            out.writeBytes(part);
        }
        return new Result(Outcome.COMPLETE, out.toByteArray(), a.originalType);
    }

    /** Drops assemblies older than the timeout. */
    public void expire(long nowMillis) {
        Iterator<Map.Entry<Key, Assembly>> it = assemblies.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Assembly> e = it.next();
            if (nowMillis - e.getValue().startedAt <= timeoutMillis) {
                break;
            }
            bufferedBytes -= e.getValue().bytes;
            it.remove();
            dropped++;
        }
    }

    public int inProgress() {
        return assemblies.size();
    }

    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Assemblies dropped so far (timeout, bounds, inconsistent fragments). */
    public long dropped() {
        return dropped;
    }

    private void dropOldest() {
        Iterator<Map.Entry<Key, Assembly>> it = assemblies.entrySet().iterator();
        Map.Entry<Key, Assembly> e = it.next();
        bufferedBytes -= e.getValue().bytes;
        it.remove();
        dropped++;
    }

    private void remove(Key key, Assembly a) {
        if (assemblies.remove(key) != null) {
            bufferedBytes -= a.bytes;
        }
    }
}
