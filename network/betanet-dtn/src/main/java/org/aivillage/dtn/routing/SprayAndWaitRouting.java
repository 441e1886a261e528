package org.aivillage.dtn.routing;

import org.aivillage.dtn.EndpointId;

/**
 * Binary spray-and-wait (Spyropoulos et al. 2005): a bundle starts with L copies; a holder of
 * n &gt; 1 copies hands floor(n/2) to a neighbour without the bundle and keeps ceil(n/2); with one
 * copy left it waits and delivers only to the destination itself.
 */
public final class SprayAndWaitRouting implements RoutingStrategy {
    private final long copies;

    public SprayAndWaitRouting(long copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("spray-and-wait needs at least one copy");
        }
        this.copies = copies;
    }

    @Override
    public String name() {
        return "spray-and-wait(" + copies + ")";
    }

    @Override
    public long initialCopies() {
        return copies;
    }

    @Override
    public Decision decide(BundleView b, EndpointId peer, long now) {
        if (RoutingStrategy.alreadyThere(b, peer)) {
            return Decision.SKIP;
        }
        if (RoutingStrategy.isDestination(b, peer)) {
            return Decision.forward(Math.max(1, b.copies()));
        }
        if (b.copies() > 1) {
            long give = b.copies() / 2;
            return Decision.replicate(give, b.copies() - give);
        }
        return Decision.SKIP;
    }
}
