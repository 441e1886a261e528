package org.aivillage.dtn;

import java.time.Instant;

/**
 * What the node knows about a bundle it originated or holds: {@code state}, how many times it was
 * transmitted, when the state last changed and, for deletions, why.
 */
public record BundleStatus(BundleId id, State state, int transmissions, Instant updated, StatusReason reason) {
    public enum State {
        /** Stored here, waiting for a contact. */
        PENDING,
        /** Handed to at least one neighbour (acknowledged on reliable links). */
        FORWARDED,
        /** Delivered: locally, or a delivery status report came back from the destination. */
        DELIVERED,
        /** Deleted before delivery (expired, evicted, refused); see the reason. */
        DELETED,
        /** Not known to this node. */
        UNKNOWN
    }
}
