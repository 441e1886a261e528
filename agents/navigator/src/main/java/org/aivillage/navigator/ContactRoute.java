package org.aivillage.navigator;

import java.util.Comparator;
import java.util.List;

/**
 * A route through a contact graph.
 *
 * @param hops          the contacts in order, with when the bundle is sent and when it arrives
 * @param arrivalTimeMs when the bundle reaches the destination
 */
public record ContactRoute(List<Hop> hops, long arrivalTimeMs) {
    public ContactRoute {
        hops = List.copyOf(hops);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("a contact route has at least one hop");
        }
    }

    /** One contact of a route: transmission starts at {@code transmitStartMs}, arrives at {@code arrivalMs}. */
    public record Hop(Contact contact, long transmitStartMs, long arrivalMs) {}

    public List<Contact> contacts() {
        return hops.stream().map(Hop::contact).toList();
    }

    /** The neighbour to forward to: the receiver of the first contact. */
    public String nextHop() {
        return hops.getFirst().contact().to();
    }

    /** The contact that ends first: the one whose loss ends this route soonest (classic CGR). */
    public Contact limitingContact() {
        return hops.stream().map(Hop::contact).min(Comparator.comparingLong(Contact::endMs)).orElseThrow();
    }
}
