package org.aivillage.betanet.htx.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters of one HTX endpoint (side = client|server):
 * {@code htx.connections{outcome=htx|decoy|failed}}, {@code htx.connections.active},
 * {@code htx.streams.opened}, {@code htx.bytes{direction=sent|received}},
 * {@code htx.rekeys{direction}}, {@code htx.tickets.rejected{reason}},
 * {@code htx.connections.closed{reason}}.
 */
public final class HtxMetrics {
    private final MeterRegistry registry;
    private final String side;
    private final AtomicInteger active = new AtomicInteger();
    public final Counter connectionsHtx;
    public final Counter connectionsDecoy;
    public final Counter connectionsFailed;
    public final Counter streamsOpened;
    public final Counter bytesSent;
    public final Counter bytesReceived;
    public final Counter rekeysSent;
    public final Counter rekeysReceived;
    private final Map<TicketVerifier.Rejection, Counter> rejections = new EnumMap<>(TicketVerifier.Rejection.class);
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();

    private static final Map<MeterRegistry, Map<String, HtxMetrics>> SHARED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** One instance per registry and side, so gauges and counters are shared by all endpoints using them. */
    public static HtxMetrics of(MeterRegistry registry, String side) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).computeIfAbsent(side, s -> new HtxMetrics(registry, s));
        }
    }

    private HtxMetrics(MeterRegistry registry, String side) {
        this.registry = registry;
        this.side = side;
        Gauge.builder("htx.connections.active", active, AtomicInteger::get).tag("side", side)
                .description("HTX connections open").register(registry);
        connectionsHtx = connections("htx");
        connectionsDecoy = connections("decoy");
        connectionsFailed = connections("failed");
        streamsOpened = Counter.builder("htx.streams.opened").tag("side", side).register(registry);
        bytesSent = Counter.builder("htx.bytes").tag("side", side).tag("direction", "sent").baseUnit("bytes").register(registry);
        bytesReceived = Counter.builder("htx.bytes").tag("side", side).tag("direction", "received").baseUnit("bytes").register(registry);
        rekeysSent = Counter.builder("htx.rekeys").tag("side", side).tag("direction", "sent").register(registry);
        rekeysReceived = Counter.builder("htx.rekeys").tag("side", side).tag("direction", "received").register(registry);
        for (TicketVerifier.Rejection r : TicketVerifier.Rejection.values()) {
            rejections.put(r, Counter.builder("htx.tickets.rejected").tag("reason", r.tag()).register(registry));
        }
    }

    private Counter connections(String outcome) {
        return Counter.builder("htx.connections").tag("side", side).tag("outcome", outcome).register(registry);
    }

    public void ticketRejected(TicketVerifier.Rejection reason) {
        rejections.get(reason).increment();
    }

    public void connectionOpened() {
        active.incrementAndGet();
    }

    public void connectionClosed(String reasonTag) {
        active.decrementAndGet();
        closed.computeIfAbsent(reasonTag, r -> Counter.builder("htx.connections.closed").tag("side", side).tag("reason", r).register(registry))
                .increment();
    }
}
