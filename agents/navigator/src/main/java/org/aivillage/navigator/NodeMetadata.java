package org.aivillage.navigator;

import java.util.Optional;

/**
 * What the navigator knows about a node.
 *
 * @param location    where the node is, if known
 * @param capacity    how much load the node can carry (any unit; must be &gt; 0)
 * @param currentLoad the load it carries now, in the same unit (&gt;= 0; may exceed capacity)
 */
public record NodeMetadata(Optional<GeoLocation> location, double capacity, double currentLoad) {
    public NodeMetadata {
        if (location == null) {
            throw new IllegalArgumentException("location must be an Optional, not null");
        }
        Checks.positiveFinite("capacity", capacity);
        Checks.nonNegativeFinite("currentLoad", currentLoad);
    }

    public NodeMetadata(double capacity, double currentLoad) {
        this(Optional.empty(), capacity, currentLoad);
    }

    /** An idle node of capacity 1 at an unknown location. */
    public static NodeMetadata idle() {
        return new NodeMetadata(1.0, 0.0);
    }

    /** currentLoad / capacity: 0 when idle, 1 when full, above 1 when overloaded. */
    public double utilisation() {
        return currentLoad / capacity;
    }

    public NodeMetadata withLoad(double load) {
        return new NodeMetadata(location, capacity, load);
    }
}
