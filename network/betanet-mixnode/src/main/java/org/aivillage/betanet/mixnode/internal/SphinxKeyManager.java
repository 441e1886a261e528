package org.aivillage.betanet.mixnode.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sphinx key rotation by epoch with overlap. Key epoch e covers [e*len, (e+1)*len). The node holds
 * the key of the current epoch and of the next (published ahead), and keeps the previous one for
 * {@code overlap} after the epoch changed, so packets built just before the change still open.
 * Keys are persisted (a restart keeps them) and deleted when retired. Packets name their key by
 * phase = epoch mod 256.
 */
public final class SphinxKeyManager implements Sphinx.KeyRing {
    private static final Logger log = LoggerFactory.getLogger(SphinxKeyManager.class);
    private record Held(long epoch, KeyPair key) {}

    private final NodeStore store;
    private final Duration epochLength;
    private final Duration overlap;
    private final Clock clock;
    private final TreeMap<Long, KeyPair> keys = new TreeMap<>();
    private volatile Held[] byPhase = new Held[256];

    public SphinxKeyManager(NodeStore store, Duration epochLength, Duration overlap, Clock clock) throws SQLException {
        if (overlap.compareTo(epochLength) >= 0) {
            throw new IllegalArgumentException("key overlap must be shorter than the key epoch");
        }
        this.store = store;
        this.epochLength = epochLength;
        this.overlap = overlap;
        this.clock = clock;
        store.loadKeys(keys::put);
        rotate();
    }

    public long epochAt(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), epochLength.toMillis());
    }

    public long currentEpoch() {
        return epochAt(clock.instant());
    }

    /** Ensures keys for the current and next epoch exist and retires expired ones. Returns true if anything changed. */
    public synchronized boolean rotate() throws SQLException {
        Instant now = clock.instant();
        long e = epochAt(now);
        boolean changed = false;
        for (long want = e; want <= e + 1; want++) {
            if (!keys.containsKey(want)) {
                KeyPair kp = X25519.generateKeyPair();
                store.putKey(want, kp);
                keys.put(want, kp);
                changed = true;
                log.info("generated Sphinx key for epoch {}", want);
            }
        }
        boolean inOverlap = now.toEpochMilli() - e * epochLength.toMillis() < overlap.toMillis();
        long keepFrom = inOverlap ? e - 1 : e;
        for (Map.Entry<Long, KeyPair> old : new ArrayList<>(keys.headMap(keepFrom).entrySet())) {
            old.getValue().destroy();
            keys.remove(old.getKey());
            changed = true;
            log.info("retired Sphinx key of epoch {}", old.getKey());
        }
        store.retireBefore(keepFrom);
        Held[] table = new Held[256];
        for (Map.Entry<Long, KeyPair> k : keys.entrySet()) {
            table[(int) (k.getKey() & 0xff)] = new Held(k.getKey(), k.getValue());
        }
        byPhase = table;
        return changed;
    }

    /** The oldest epoch whose key is still held (replay tags of older epochs can go). */
    public synchronized long oldestLiveEpoch() {
        return keys.isEmpty() ? currentEpoch() : keys.firstKey();
    }

    @Override
    public KeyPair keyFor(int keyPhase) {
        Held h = byPhase[keyPhase & 0xff];
        return h == null ? null : h.key;
    }

    /** The epoch of the key held for a phase, or -1. */
    public long epochForPhase(int keyPhase) {
        Held h = byPhase[keyPhase & 0xff];
        return h == null ? -1 : h.epoch;
    }

    /** Public keys to publish: current and next epoch. */
    public synchronized List<TopologyNode.EpochKey> publishedKeys() {
        long e = currentEpoch();
        List<TopologyNode.EpochKey> out = new ArrayList<>();
        for (Map.Entry<Long, KeyPair> k : keys.tailMap(e, true).entrySet()) {
            out.add(new TopologyNode.EpochKey(k.getKey(), k.getValue().publicKey()));
        }
        return out;
    }

    public Duration epochLength() {
        return epochLength;
    }

    /** Time until the next rotation event (an epoch boundary or the end of an overlap). */
    public Duration untilNextEvent() {
        long now = clock.millis();
        long len = epochLength.toMillis();
        long start = Math.floorDiv(now, len) * len;
        long next = now < start + overlap.toMillis() ? start + overlap.toMillis() : start + len;
        return Duration.ofMillis(Math.max(1, next - now));
    }
}
