package org.aivillage.dtn.routing;

import org.aivillage.dtn.EndpointId;

/** Epidemic routing (Vahdat and Becker): every neighbour that does not have the bundle gets a copy. */
public final class EpidemicRouting implements RoutingStrategy {
    @Override
    public String name() {
        return "epidemic";
    }

    @Override
    public Decision decide(BundleView b, EndpointId peer, long now) {
        if (RoutingStrategy.alreadyThere(b, peer)) {
            return Decision.SKIP;
        }
        if (RoutingStrategy.isDestination(b, peer)) {
            return Decision.forward(1);
        }
        return Decision.replicate(1, 1);
    }
}
