package org.aivillage.bitchat;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Probabilistic, density-adaptive flooding with counter-based suppression: a node with at most
 * {@code sparseDegree} neighbours always relays (it may be the only bridge); a denser node relays
 * with probability {@code min(1, targetRelays / degree)}, so that about {@code targetRelays} of any
 * node's neighbours rebroadcast. Packets that still have at least {@code alwaysRelayTtl} hops left
 * (close to their origin) are always relayed, as bitchat-android does for TTL &ge; 4. Every relay
 * waits a random delay in [minDelay, maxDelay] and is cancelled when {@code suppressAfterDuplicates}
 * copies are overheard meanwhile (Ni et al., "The broadcast storm problem", MobiCom 1999).
 * Packets for one recipient (Noise handshakes, private messages, acknowledgements) are flooded
 * without probability or suppression: coverage is not enough there, the one recipient must be
 * reached, and each private message needs five such packets to get through.
 */
public record AdaptiveRelayPolicy(Duration minDelay, Duration maxDelay, double targetRelays, int sparseDegree,
        int alwaysRelayTtl, int suppressAfterDuplicates) implements RelayPolicy {

    /** Figures chosen from the mesh simulation in docs/benchmarks.md ("BitChat mesh"). */
    public static final AdaptiveRelayPolicy DEFAULT =
            new AdaptiveRelayPolicy(Duration.ofMillis(10), Duration.ofMillis(100), 12.0, 8, 7, 4);

    public AdaptiveRelayPolicy {
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay");
        }
        if (!(targetRelays > 0)) {
            throw new IllegalArgumentException("targetRelays must be positive");
        }
    }

    @Override
    public Decision decide(int ttl, int degree, boolean addressed, RandomGenerator random) {
        if (addressed) {
            // one particular node must be reached: plain flooding (the sender retries on silence)
            return new Decision(true, jitter(minDelay, maxDelay, random), 0);
        }
        boolean relay = ttl >= alwaysRelayTtl || degree <= sparseDegree
                || random.nextDouble() < Math.min(1.0, targetRelays / degree);
        return relay ? new Decision(true, jitter(minDelay, maxDelay, random), suppressAfterDuplicates) : Decision.DROP;
    }

    static Duration jitter(Duration min, Duration max, RandomGenerator random) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        return Duration.ofNanos(hi > lo ? lo + (long) (random.nextDouble() * (hi - lo)) : lo);
    }
}
