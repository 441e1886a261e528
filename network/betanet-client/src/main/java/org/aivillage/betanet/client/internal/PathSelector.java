package org.aivillage.betanet.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aivillage.betanet.client.BeaconSource;
import org.aivillage.betanet.client.BetaNetException;
import org.aivillage.betanet.crypto.EcVrf;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Topology;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mixnode selection per Betanet 1.1 §7.2. epoch = floor(unix/3600); BeaconSet(epoch) from the beacon
 * source, or SHA-256("bn-fallback" || K0c || u64be(epoch)) (logged) when none is reachable; per
 * stream a 16-byte nonce; seed = SHA-256(BeaconSet || srcPeerID || dstPeerID || streamNonce); the
 * hops come from the output of ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381) over the seed under the
 * client's key. Candidate k uses HKDF-Expand(beta, "bn-hops" || u32be(k)); candidate hop sets are
 * refused when no hop lies outside both the source's and the destination's AS group, or when the
 * exact set was already used for (src, dst, epoch) and fewer than 8 distinct sets were used since.
 */
public final class PathSelector {
    private static final Logger log = LoggerFactory.getLogger(PathSelector.class);
    private static final int DISTINCT_BEFORE_REUSE = 8;
    private static final int MAX_CANDIDATES = 256;
    private static final int MAX_HISTORY_KEYS = 1024;

    /** The chosen hops and the evidence they were chosen by the rule. */
    public record Selection(long epoch, byte[] beaconSet, boolean fallbackBeacon, byte[] streamNonce, byte[] seed,
                            byte[] vrfProof, int candidate, List<TopologyNode> forward, List<TopologyNode> reply) {}

    private record HistoryKey(RouteId destination, long epoch) {}

    private final byte[] vrfKey;
    private final byte[] srcPeerId;
    private final int srcAs;
    private final BeaconSource beacons;
    private final byte[] k0c;
    private final Clock clock;
    private final Map<HistoryKey, List<List<RouteId>>> history = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HistoryKey, List<List<RouteId>>> e) {
            return size() > MAX_HISTORY_KEYS;
        }
    };
    private long loggedFallbackEpoch = -1;

    public PathSelector(byte[] vrfKey, byte[] srcPeerId, int srcAs, BeaconSource beacons, byte[] k0c, Clock clock) {
        this.vrfKey = vrfKey.clone();
        this.srcPeerId = srcPeerId.clone();
        this.srcAs = srcAs;
        this.beacons = beacons;
        this.k0c = k0c.clone();
        this.clock = clock;
    }

    public static long epoch(long unixSeconds) {
        return Math.floorDiv(unixSeconds, 3600);
    }

    /** BeaconSet(epoch), or the fallback; the boolean says which. */
    public synchronized Map.Entry<byte[], Boolean> beaconSet(long epoch) {
        Optional<byte[]> b = beacons.beaconSet(epoch);
        if (b.isPresent() && b.get().length == 32) {
            return Map.entry(b.get().clone(), false);
        }
        if (loggedFallbackEpoch != epoch) {
            log.info("no randomness beacon reachable for epoch {}: using SHA256(\"bn-fallback\" || K0c || u64be(epoch))", epoch);
            loggedFallbackEpoch = epoch;
        }
        byte[] e = new byte[8];
        for (int i = 0; i < 8; i++) {
            e[i] = (byte) (epoch >>> (56 - 8 * i));
        }
        return Map.entry(Hashes.sha256("bn-fallback".getBytes(StandardCharsets.US_ASCII), k0c, e), true);
    }

    /**
     * Chooses {@code hops} mixnodes (layer j+1 for hop j, cycling through the layers) towards
     * {@code gateway}, and as many for the reply route.
     */
    public Selection select(Topology t, TopologyNode gateway, int hops, byte[] streamNonce) throws BetaNetException {
        long epoch = epoch(clock.instant().getEpochSecond());
        Map.Entry<byte[], Boolean> beacon = beaconSet(epoch);
        byte[] seed = Hashes.sha256(beacon.getKey(), srcPeerId, gateway.peerId(), streamNonce);
        byte[] proof = EcVrf.prove(vrfKey, seed);
        byte[] beta;
        try {
            beta = EcVrf.proofToHash(proof);
        } catch (CryptoException e) {
            throw new BetaNetException("VRF proof could not be hashed", e);
        }
        if (hops == 0) {
            return new Selection(epoch, beacon.getKey(), beacon.getValue(), streamNonce, seed, proof, 0, List.of(), List.of());
        }
        int layers = t.layerCount();
        if (layers == 0) {
            throw new BetaNetException("the topology lists no mixnodes");
        }
        List<List<TopologyNode>> positions = new ArrayList<>();
        for (int j = 0; j < hops; j++) {
            List<TopologyNode> l = t.layer(j % layers + 1);
            if (l.isEmpty()) {
                throw new BetaNetException("mix layer " + (j % layers + 1) + " is empty");
            }
            positions.add(l);
        }
        int dstAs = gateway.asGroup();
        boolean diversityPossible = positions.stream().flatMap(List::stream)
                .anyMatch(n -> n.asGroup() != srcAs && n.asGroup() != dstAs);
        if (!diversityPossible) {
            throw new BetaNetException("no mixnode outside the source AS group " + srcAs + " and the destination AS group "
                    + dstAs + ": refusing a path without AS diversity");
        }
        HistoryKey hk = new HistoryKey(gateway.routeId(), epoch);
        List<TopologyNode> forward = null;
        int chosen = -1;
        List<TopologyNode> firstDiverse = null;
        synchronized (this) {
            history.keySet().removeIf(k -> k.epoch() < epoch);
            List<List<RouteId>> used = history.computeIfAbsent(hk, k -> new ArrayList<>());
            for (int k = 0; k < MAX_CANDIDATES && forward == null; k++) {
                List<TopologyNode> cand = draw(beta, "bn-hops", k, positions);
                if (!diverse(cand, dstAs)) {
                    continue;
                }
                if (firstDiverse == null) {
                    firstDiverse = cand;
                    chosen = k;
                }
                if (!used.contains(ids(cand))) {
                    forward = cand;
                    chosen = k;
                }
            }
            if (forward == null) {
                log.info("all distinct hop sets towards {} used this epoch; reusing one", gateway.routeId().shortString());
                forward = firstDiverse;
                used.clear();
            }
            if (used.size() >= DISTINCT_BEFORE_REUSE) {
                used.clear();
            }
            used.add(ids(forward));
        }
        List<TopologyNode> reply = null;
        for (int k = 0; k < MAX_CANDIDATES && reply == null; k++) {
            List<TopologyNode> cand = draw(beta, "bn-reply", k, positions);
            if (diverse(cand, dstAs)) {
                reply = cand;
            }
        }
        return new Selection(epoch, beacon.getKey(), beacon.getValue(), streamNonce, seed, proof, chosen, forward, reply);
    }

    /** How many distinct hop sets this client used towards a gateway in the current epoch cycle. */
    public synchronized int usedSets(RouteId gateway, long epoch) {
        List<List<RouteId>> l = history.get(new HistoryKey(gateway, epoch));
        return l == null ? 0 : l.size();
    }

    private boolean diverse(List<TopologyNode> cand, int dstAs) {
        return cand.stream().anyMatch(n -> n.asGroup() != srcAs && n.asGroup() != dstAs);
    }

    private static List<RouteId> ids(List<TopologyNode> nodes) {
        return nodes.stream().map(TopologyNode::routeId).toList();
    }

    private static List<TopologyNode> draw(byte[] beta, String label, int k, List<List<TopologyNode>> positions) {
        byte[] info = new byte[label.length() + 4];
        System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, info, 0, label.length());
        info[label.length()] = (byte) (k >>> 24);
        info[label.length() + 1] = (byte) (k >>> 16);
        info[label.length() + 2] = (byte) (k >>> 8);
        info[label.length() + 3] = (byte) k;
        // 8 bytes per hop plus spare words for rejection sampling.
        byte[] stream = Hkdf.expand(Hashes.Algorithm.SHA512, beta, info, 8 * positions.size() * 4);
        List<TopologyNode> out = new ArrayList<>();
        int w = 0;
        int words = stream.length / 8;
        for (List<TopologyNode> layer : positions) {
            int n = layer.size();
            // Unbiased: values below 2^64 mod n are rejected, the rest split evenly into n classes.
            long threshold = (Long.remainderUnsigned(-1L, n) + 1) % n;
            long v = readLong(stream, (w++ % words) * 8);
            while (Long.compareUnsigned(v, threshold) < 0 && w < words) {
                v = readLong(stream, (w++ % words) * 8);
            }
            out.add(layer.get((int) Long.remainderUnsigned(v, n)));
        }
        return out;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
