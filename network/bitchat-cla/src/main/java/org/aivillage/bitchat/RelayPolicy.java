package org.aivillage.bitchat;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Decides whether a node rebroadcasts a packet it did not originate, and when. The router has
 * already checked TTL (&gt; 0), duplicates and signatures; the policy sees the packet's received
 * TTL and the node's current number of direct neighbours.
 */
public interface RelayPolicy {

    /**
     * The decision for one packet.
     *
     * @param relay whether to rebroadcast at all
     * @param delay how long to wait first (randomised, so neighbours do not collide)
     * @param suppressAfterDuplicates cancel the pending rebroadcast once this many copies of the
     *     packet were heard from others while waiting (counter-based suppression); 0 = never
     */
    record Decision(boolean relay, Duration delay, int suppressAfterDuplicates) {
        public static final Decision DROP = new Decision(false, Duration.ZERO, 0);
    }

    /**
     * @param ttl the TTL the packet arrived with (&gt; 0)
     * @param degree current number of direct neighbours
     * @param addressed whether the packet is for one recipient (Noise handshake, private message,
     *     acknowledgement) rather than for everyone
     */
    Decision decide(int ttl, int degree, boolean addressed, RandomGenerator random);

    /** Plain flooding: every node rebroadcasts every packet once after a random delay in [min, max]. */
    static RelayPolicy flooding(Duration minDelay, Duration maxDelay) {
        return (ttl, degree, addressed, random) -> new Decision(true, AdaptiveRelayPolicy.jitter(minDelay, maxDelay, random), 0);
    }

    /** The default: {@link AdaptiveRelayPolicy#DEFAULT}. */
    static RelayPolicy adaptive() {
        return AdaptiveRelayPolicy.DEFAULT;
    }
}
