package org.aivillage.dtn.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.aivillage.dtn.EndpointId;

/**
 * Static routes: destination node (or {@code *} as default route) to next-hop node. A bundle is
 * forwarded (not copied) to its next hop; it goes straight to the destination when in contact.
 */
public final class StaticRouting implements RoutingStrategy {
    private final Map<String, EndpointId> routes;

    /** {@code routes}: destination node ID text (e.g. {@code dtn://c/}, {@code ipn:3.0}) or {@code *} to next hop. */
    public StaticRouting(Map<String, EndpointId> routes) {
        this.routes = new LinkedHashMap<>();
        routes.forEach((k, v) -> this.routes.put(k.equals("*") ? k : EndpointId.parse(k).node().toString(), v.node()));
    }

    @Override
    public String name() {
        return "static";
    }

    public EndpointId nextHop(EndpointId destinationNode) {
        EndpointId hop = routes.get(destinationNode.node().toString());
        return hop != null ? hop : routes.get("*");
    }

    @Override
    public Decision decide(BundleView b, EndpointId peer, long now) {
        if (RoutingStrategy.isDestination(b, peer)) {
            return RoutingStrategy.alreadyThere(b, peer) ? Decision.SKIP : Decision.forward(1);
        }
        EndpointId hop = nextHop(b.destinationNode());
        if (hop == null || !hop.equals(peer.node()) || RoutingStrategy.alreadyThere(b, peer)) {
            return Decision.SKIP;
        }
        return Decision.forward(1);
    }
}
