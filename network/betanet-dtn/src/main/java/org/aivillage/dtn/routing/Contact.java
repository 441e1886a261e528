package org.aivillage.dtn.routing;

import org.aivillage.dtn.EndpointId;

/**
 * A scheduled contact of a contact plan: {@code from} can send to {@code to} between
 * {@code startMillis} and {@code endMillis} at {@code rateBytesPerSecond} with one-way
 * {@code latencyMillis}. Times are Unix milliseconds (or virtual time in the evaluation harness).
 */
public record Contact(EndpointId from, EndpointId to, long startMillis, long endMillis, long rateBytesPerSecond,
        long latencyMillis) {
    public Contact {
        from = from.node();
        to = to.node();
        if (endMillis < startMillis || rateBytesPerSecond <= 0 || latencyMillis < 0) {
            throw new IllegalArgumentException("contact needs end >= start, a positive rate and latency >= 0");
        }
    }
}
