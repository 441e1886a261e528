package org.aivillage.dtn.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aivillage.dtn.EndpointId;

/**
 * Contact graph routing over a contact plan: the navigator's earliest-arrival search (Dijkstra over
 * time-windowed contacts, FIFO waiting allowed) from this node at the current time to the
 * destination; the bundle is forwarded to the first hop of the best route when in contact with
 * it. Routes that go back through the node the bundle came from are excluded.
 */
public final class ContactGraphRouting implements RoutingStrategy {
    private final EndpointId self;
    private final org.aivillage.navigator.ContactGraph graph;
    private final Map<org.aivillage.navigator.Contact, Contact> byNavigatorContact = new HashMap<>();
    private final long bundleSizeHint;

    /**
     * Routes over {@code plan} with the navigator's earliest-arrival search
     * ({@link org.aivillage.navigator.ContactGraph}); {@code bundleSizeHint} is the bundle size
     * assumed for transmission times.
     */
    public ContactGraphRouting(EndpointId self, List<Contact> plan, long bundleSizeHint) {
        this.self = self.node();
        this.bundleSizeHint = bundleSizeHint;
        List<org.aivillage.navigator.Contact> contacts = new ArrayList<>(plan.size());
        for (Contact c : plan) {
            if (c.from().equals(c.to()) || c.endMillis() <= c.startMillis()) {
                continue;
            }
            org.aivillage.navigator.Contact n = new org.aivillage.navigator.Contact(c.from().toString(),
                    c.to().toString(), c.startMillis(), c.endMillis(), c.rateBytesPerSecond(), c.latencyMillis());
            byNavigatorContact.putIfAbsent(n, c);
            contacts.add(n);
        }
        this.graph = new org.aivillage.navigator.ContactGraph(contacts);
    }

    @Override
    public String name() {
        return "contact-graph";
    }

    /** A route: the first contact to take and the earliest arrival time at the destination. */
    public record Route(Contact firstHop, long arrivalMillis, int hops) {}

    private record CacheKey(EndpointId destination, EndpointId exclude) {}

    private record Cached(long computedAt, Optional<Route> route) {}

    private final Map<CacheKey, Cached> cache = new HashMap<>();

    /**
     * Earliest-arrival route from this node at {@code now} to {@code destination}, avoiding
     * {@code exclude}. A route found at time t0 stays optimal until its first contact is taken
     * (waiting never helps in a FIFO contact graph), so results are cached until then.
     */
    public synchronized Optional<Route> route(EndpointId destination, long now, EndpointId exclude) {
        CacheKey key = new CacheKey(destination.node(), exclude == null ? null : exclude.node());
        Cached c = cache.get(key);
        if (c != null && now >= c.computedAt()) {
            if (c.route().isPresent() && now <= Math.max(c.computedAt(), c.route().get().firstHop().startMillis())
                    && now < c.route().get().firstHop().endMillis()) {
                return c.route();
            }
        }
        Optional<Route> r = search(destination, now, exclude);
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(now, r));
        return r;
    }

    private Optional<Route> search(EndpointId destination, long now, EndpointId exclude) {
        Optional<org.aivillage.navigator.ContactRoute> r = graph.earliestArrival(self.toString(),
                destination.node().toString(), now, bundleSizeHint,
                exclude == null ? java.util.Set.of() : java.util.Set.of(exclude.node().toString()), java.util.Set.of());
        if (r.isEmpty() || r.get().hops().isEmpty()) {
            return Optional.empty();
        }
        Contact first = byNavigatorContact.get(r.get().hops().getFirst().contact());
        return Optional.of(new Route(first, r.get().arrivalTimeMs(), r.get().hops().size()));
    }

    @Override
    public Decision decide(BundleView b, EndpointId peer, long now) {
        if (RoutingStrategy.alreadyThere(b, peer)) {
            return Decision.SKIP;
        }
        if (RoutingStrategy.isDestination(b, peer)) {
            return Decision.forward(1);
        }
        Optional<Route> r = route(b.destinationNode(), now, b.previousNode());
        if (r.isPresent() && r.get().firstHop().to().equals(peer.node()) && r.get().firstHop().startMillis() <= now) {
            return Decision.forward(1);
        }
        return Decision.SKIP;
    }
}
