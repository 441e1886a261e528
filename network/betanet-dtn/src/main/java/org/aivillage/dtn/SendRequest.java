package org.aivillage.dtn;

import java.time.Duration;
import java.util.Objects;

/**
 * What an application sends (the seed's {@code Bundle{source, destination, payload, ttl, priority,
 * delivery_receipt_requested}}). {@code source} null means the node's own ID; {@code ttl} null
 * means the node's default lifetime; priority 0 bulk, 1 normal, 2 expedited.
 */
public record SendRequest(EndpointId source, EndpointId destination, byte[] payload, Duration ttl, int priority,
        boolean deliveryReceiptRequested) {

    public SendRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        if (priority < 0 || priority > 2) {
            throw new IllegalArgumentException("priority is 0, 1 or 2");
        }
    }

    public static SendRequest to(EndpointId destination, byte[] payload) {
        return new SendRequest(null, destination, payload, null, 1, false);
    }

    public SendRequest withTtl(Duration t) {
        return new SendRequest(source, destination, payload, t, priority, deliveryReceiptRequested);
    }

    public SendRequest withPriority(int p) {
        return new SendRequest(source, destination, payload, ttl, p, deliveryReceiptRequested);
    }

    public SendRequest withDeliveryReceipt(boolean yes) {
        return new SendRequest(source, destination, payload, ttl, priority, yes);
    }

    public SendRequest withSource(EndpointId s) {
        return new SendRequest(s, destination, payload, ttl, priority, deliveryReceiptRequested);
    }
}
