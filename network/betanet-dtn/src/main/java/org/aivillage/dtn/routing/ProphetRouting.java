package org.aivillage.dtn.routing;

import java.util.HashMap;
import java.util.Map;
import org.aivillage.dtn.EndpointId;

/**
 * PRoPHET (RFC 6693): delivery predictabilities updated on encounters (equation 1), aged by
 * gamma per time unit (equation 2) and propagated transitively (equation 3); a bundle is copied to
 * a neighbour whose predictability for the destination is greater than ours (GRTR).
 */
public final class ProphetRouting implements RoutingStrategy {

    /**
     * RFC 6693 section 3.3 parameters: P_encounter_max, P_encounter_first, P_first_threshold,
     * delta, beta, gamma, the aging time unit and the typical inter-encounter interval I_typ.
     */
    public record Parameters(double encounterMax, double encounterFirst, double firstThreshold, double delta,
            double beta, double gamma, long timeUnitMillis, long typicalIntervalMillis) {
        public static Parameters rfc6693() {
            return new Parameters(0.7, 0.5, 0.1, 0.01, 0.9, 0.999, 30_000, 1_800_000);
        }
    }

    private final EndpointId self;
    private final Parameters p;
    private final Map<EndpointId, Double> predictability = new HashMap<>();
    private final Map<EndpointId, Long> lastEncounter = new HashMap<>();
    private final Map<EndpointId, Map<EndpointId, Double>> peerTables = new HashMap<>();
    private long lastAged = Long.MIN_VALUE;

    public ProphetRouting(EndpointId self, Parameters parameters) {
        this.self = self.node();
        this.p = parameters;
    }

    @Override
    public String name() {
        return "prophet";
    }

    private void age(long now) {
        if (lastAged == Long.MIN_VALUE) {
            lastAged = now;
            return;
        }
        long units = (now - lastAged) / p.timeUnitMillis();
        if (units <= 0) {
            return;
        }
        double factor = Math.pow(p.gamma(), units);
        predictability.replaceAll((k, v) -> v * factor);
        predictability.values().removeIf(v -> v < 1e-6);
        lastAged += units * p.timeUnitMillis();
    }

    @Override
    public synchronized void contactUp(EndpointId peer, long now) {
        EndpointId n = peer.node();
        age(now);
        double old = predictability.getOrDefault(n, 0.0);
        double encounter;
        Long last = lastEncounter.get(n);
        if (last == null || old < p.firstThreshold()) {
            encounter = p.encounterFirst();
        } else {
            long interval = now - last;
            encounter = interval < p.typicalIntervalMillis()
                    ? p.encounterMax() * ((double) interval / p.typicalIntervalMillis()) : p.encounterMax();
        }
        predictability.put(n, old + (1 - p.delta() - old) * encounter);
        lastEncounter.put(n, now);
    }

    @Override
    public synchronized void contactDown(EndpointId peer, long now) {
        peerTables.remove(peer.node());
    }

    @Override
    public synchronized Map<EndpointId, Double> summary(long now) {
        age(now);
        return Map.copyOf(predictability);
    }

    @Override
    public synchronized void peerSummary(EndpointId peer, Map<EndpointId, Double> summary, long now) {
        EndpointId b = peer.node();
        age(now);
        peerTables.put(b, Map.copyOf(summary));
        double pab = predictability.getOrDefault(b, 0.0);
        for (Map.Entry<EndpointId, Double> e : summary.entrySet()) {
            EndpointId c = e.getKey();
            if (c.equals(self) || c.equals(b)) {
                continue;
            }
            double transitive = pab * e.getValue() * p.beta();
            predictability.merge(c, transitive, Math::max);
        }
    }

    /** This node's delivery predictability for {@code node}. */
    public synchronized double predictability(EndpointId node) {
        return predictability.getOrDefault(node.node(), 0.0);
    }

    @Override
    public synchronized Decision decide(BundleView b, EndpointId peer, long now) {
        if (RoutingStrategy.alreadyThere(b, peer)) {
            return Decision.SKIP;
        }
        if (RoutingStrategy.isDestination(b, peer)) {
            return Decision.forward(1);
        }
        Map<EndpointId, Double> theirs = peerTables.getOrDefault(peer.node(), Map.of());
        double mine = predictability.getOrDefault(b.destinationNode(), 0.0);
        double their = theirs.getOrDefault(b.destinationNode(), 0.0);
        return their > mine ? Decision.replicate(1, 1) : Decision.SKIP;
    }

    /** Copy of the table (for tests and metrics). */
    public synchronized Map<EndpointId, Double> table() {
        return new HashMap<>(predictability);
    }
}
