package org.aivillage.dtn.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.aivillage.dtn.BundleId;
import org.aivillage.dtn.CreationTimestamp;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.routing.Contact;
import org.aivillage.dtn.routing.RoutingStrategy;

/**
 * The routing evaluation harness: many nodes in one JVM, virtual time, a contact trace. Each node
 * runs its own instance of the strategy under test (the same classes the node runs). At the start
 * of a contact both ends exchange routing summaries, then each offers its held bundles in creation
 * order, as many as the contact's capacity (rate times duration) allows; a node never offers a
 * bundle the neighbour already holds or has delivered (summary-vector exchange). Bundles expire
 * after their TTL. Reports delivery ratio, transmissions per delivered bundle and latency.
 */
public final class RoutingSimulation {

    /** Offered traffic: {@code count} bundles of {@code sizeBytes} between random distinct nodes, created uniformly in [0, {@code window}). */
    public record Traffic(int count, int sizeBytes, long windowMillis, long ttlMillis, long seed) {}

    /** Results of one run. */
    public record Result(String strategy, int created, int delivered, long transmissions, double meanLatencyMillis,
            double medianLatencyMillis) {
        public double deliveryRatio() {
            return created == 0 ? 0 : (double) delivered / created;
        }

        public double overhead() {
            return delivered == 0 ? Double.NaN : (double) transmissions / delivered;
        }
    }

    private record Message(BundleId id, EndpointId source, EndpointId destination, long created, long expires) {}

    private static final class Copy {
        final Message m;
        long copies;
        final Set<EndpointId> holders = new HashSet<>();
        final EndpointId from;

        Copy(Message m, long copies, EndpointId from) {
            this.m = m;
            this.copies = copies;
            this.from = from;
        }
    }

    private static final class SimNode {
        final EndpointId id;
        final RoutingStrategy strategy;
        final Map<BundleId, Copy> buffer = new LinkedHashMap<>();
        final Set<BundleId> delivered = new HashSet<>();

        SimNode(EndpointId id, RoutingStrategy strategy) {
            this.id = id;
            this.strategy = strategy;
        }
    }

    public static Result run(String name, ContactTrace trace, Traffic traffic,
            Function<EndpointId, RoutingStrategy> strategyFactory) {
        Map<EndpointId, SimNode> nodes = new HashMap<>();
        for (EndpointId n : trace.nodes()) {
            nodes.put(n, new SimNode(n, strategyFactory.apply(n)));
        }
        Random rnd = new Random(traffic.seed());
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < traffic.count(); i++) {
            EndpointId s = trace.nodes().get(rnd.nextInt(trace.nodes().size()));
            EndpointId d;
            do {
                d = trace.nodes().get(rnd.nextInt(trace.nodes().size()));
            } while (d.equals(s));
            long t = (long) (rnd.nextDouble() * traffic.windowMillis());
            messages.add(new Message(BundleId.whole(s, new CreationTimestamp(t + 1, i)), s, d, t, t + traffic.ttlMillis()));
        }
        messages.sort(Comparator.comparingLong(Message::created));
        // Only one direction of each bidirectional contact drives the exchange.
        List<Contact> events = trace.contacts().stream()
                .filter(c -> c.from().toString().compareTo(c.to().toString()) < 0).toList();
        Map<BundleId, Long> deliveredAt = new HashMap<>();
        long transmissions = 0;
        int next = 0;
        for (Contact c : events) {
            long now = c.startMillis();
            while (next < messages.size() && messages.get(next).created() <= now) {
                Message m = messages.get(next++);
                SimNode src = nodes.get(m.source());
                src.buffer.put(m.id(), new Copy(m, src.strategy.initialCopies(), null));
            }
            SimNode a = nodes.get(c.from());
            SimNode b = nodes.get(c.to());
            expire(a, now);
            expire(b, now);
            a.strategy.contactUp(b.id, now);
            b.strategy.contactUp(a.id, now);
            b.strategy.peerSummary(a.id, a.strategy.summary(now), now);
            a.strategy.peerSummary(b.id, b.strategy.summary(now), now);
            long capacity = Math.max(1, (c.endMillis() - c.startMillis()) * c.rateBytesPerSecond() / 1000 / traffic.sizeBytes());
            long used = exchange(a, b, now, capacity, deliveredAt);
            used += exchange(b, a, now, capacity - used, deliveredAt);
            transmissions += used;
            a.strategy.contactDown(b.id, c.endMillis());
            b.strategy.contactDown(a.id, c.endMillis());
        }
        List<Long> latencies = new ArrayList<>();
        Map<BundleId, Message> byId = new HashMap<>();
        for (Message m : messages) {
            byId.put(m.id(), m);
        }
        deliveredAt.forEach((id, t) -> latencies.add(t - byId.get(id).created()));
        latencies.sort(Long::compare);
        double mean = latencies.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        double median = latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() / 2);
        return new Result(name, next, deliveredAt.size(), transmissions, mean, median);
    }

    private static void expire(SimNode n, long now) {
        n.buffer.values().removeIf(c -> c.m.expires() <= now);
    }

    private static long exchange(SimNode from, SimNode to, long now, long capacity, Map<BundleId, Long> deliveredAt) {
        long used = 0;
        for (Copy copy : new ArrayList<>(from.buffer.values())) {
            if (used >= capacity) {
                break;
            }
            BundleId id = copy.m.id();
            if (to.buffer.containsKey(id) || to.delivered.contains(id)) {
                copy.holders.add(to.id);
                continue;
            }
            RoutingStrategy.Decision d = from.strategy.decide(new RoutingStrategy.BundleView(id,
                    copy.m.destination(), copy.copies, copy.holders, copy.from), to.id, now);
            if (!d.send()) {
                continue;
            }
            used++;
            copy.holders.add(to.id);
            if (to.id.equals(copy.m.destination())) {
                to.delivered.add(id);
                deliveredAt.putIfAbsent(id, now);
            } else {
                to.buffer.put(id, new Copy(copy.m, Math.max(1, d.copiesToPeer()), from.id));
            }
            if (d.deleteAfter()) {
                from.buffer.remove(id);
            } else {
                copy.copies = d.copiesKept();
            }
        }
        return used;
    }
}
