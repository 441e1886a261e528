package org.aivillage.dtn.routing;

import java.util.Map;
import java.util.Set;
import org.aivillage.dtn.BundleId;
import org.aivillage.dtn.EndpointId;

/**
 * Decides, for a bundle this node holds and a neighbour it is in contact with, whether to hand the
 * bundle over and how many routing copies go with it. Strategies are pure logic (no I/O, time is a
 * parameter), so the node and the virtual-time evaluation harness run the same code. One instance
 * serves one node; calls come from several threads, so implementations are thread-safe.
 */
public interface RoutingStrategy {

    String name();

    /** The routing copies a bundle gets when it enters the network at its source (spray-and-wait's L). */
    default long initialCopies() {
        return 1;
    }

    /** A contact with {@code peer} (a node ID) started. */
    default void contactUp(EndpointId peer, long nowMillis) {}

    /** A contact with {@code peer} ended. */
    default void contactDown(EndpointId peer, long nowMillis) {}

    /** Routing state this node offers a neighbour at the start of a contact (PRoPHET's predictabilities). */
    default Map<EndpointId, Double> summary(long nowMillis) {
        return Map.of();
    }

    /** The neighbour's {@link #summary} arrived. */
    default void peerSummary(EndpointId peer, Map<EndpointId, Double> summary, long nowMillis) {}

    /**
     * What the node knows about one held bundle: its id, destination node, routing copies held, the
     * neighbours that already have it (or were handed it), and the node it came from.
     */
    record BundleView(BundleId id, EndpointId destinationNode, long copies, Set<EndpointId> holders,
            EndpointId previousNode) {}

    /**
     * The decision for one bundle and one neighbour: whether to send, the copies that go with it,
     * the copies kept here afterwards, and whether this node drops its copy once the neighbour
     * acknowledged the bundle (forwarding rather than replication).
     */
    record Decision(boolean send, long copiesToPeer, long copiesKept, boolean deleteAfter) {
        public static final Decision SKIP = new Decision(false, 0, 0, false);

        public static Decision forward(long copies) {
            return new Decision(true, copies, 0, true);
        }

        public static Decision replicate(long toPeer, long kept) {
            return new Decision(true, toPeer, kept, false);
        }
    }

    Decision decide(BundleView bundle, EndpointId peer, long nowMillis);

    /** Shared rule: a bundle goes straight to its destination node when in contact with it. */
    static boolean isDestination(BundleView b, EndpointId peer) {
        return b.destinationNode().equals(peer.node());
    }

    /** Shared rule: never send a bundle back where it came from or to a neighbour that has it. */
    static boolean alreadyThere(BundleView b, EndpointId peer) {
        EndpointId p = peer.node();
        return b.holders().contains(p) || (b.previousNode() != null && b.previousNode().node().equals(p));
    }
}
