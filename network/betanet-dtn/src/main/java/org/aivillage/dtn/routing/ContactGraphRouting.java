package org.aivillage.dtn.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.aivillage.dtn.EndpointId;

/**
 * Contact graph routing over a contact plan: an earliest-arrival search (Dijkstra over
 * time-windowed contacts, FIFO waiting allowed) from this node at the current time to the
 * destination; the bundle is forwarded to the first hop of the best route when in contact with
 * it. Routes that go back through the node the bundle came from are excluded.
 */
public final class ContactGraphRouting implements RoutingStrategy {
    private final EndpointId self;
    private final Map<EndpointId, List<Contact>> outgoing = new HashMap<>();
    private final long bundleSizeHint;

    public ContactGraphRouting(EndpointId self, List<Contact> plan, long bundleSizeHint) {
        this.self = self.node();
        this.bundleSizeHint = bundleSizeHint;
        for (Contact c : plan) {
            outgoing.computeIfAbsent(c.from(), k -> new ArrayList<>()).add(c);
        }
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
        EndpointId dest = destination.node();
        record Label(EndpointId node, long arrival, Contact first, int hops) {}
        Map<EndpointId, Long> best = new HashMap<>();
        PriorityQueue<Label> queue = new PriorityQueue<>((a, b) -> Long.compare(a.arrival(), b.arrival()));
        queue.add(new Label(self, now, null, 0));
        best.put(self, now);
        while (!queue.isEmpty()) {
            Label l = queue.poll();
            if (l.arrival() > best.getOrDefault(l.node(), Long.MAX_VALUE)) {
                continue;
            }
            if (l.node().equals(dest)) {
                return Optional.of(new Route(l.first(), l.arrival(), l.hops()));
            }
            for (Contact c : outgoing.getOrDefault(l.node(), List.of())) {
                if (c.endMillis() <= l.arrival() || (exclude != null && c.to().equals(exclude.node()))) {
                    continue;
                }
                long depart = Math.max(l.arrival(), c.startMillis());
                long arrival = depart + c.latencyMillis() + Math.ceilDiv(bundleSizeHint * 1000, c.rateBytesPerSecond());
                if (depart + Math.ceilDiv(bundleSizeHint * 1000, c.rateBytesPerSecond()) > c.endMillis()) {
                    continue;
                }
                if (arrival < best.getOrDefault(c.to(), Long.MAX_VALUE)) {
                    best.put(c.to(), arrival);
                    queue.add(new Label(c.to(), arrival, l.first() == null ? c : l.first(), l.hops() + 1));
                }
            }
        }
        return Optional.empty();
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
