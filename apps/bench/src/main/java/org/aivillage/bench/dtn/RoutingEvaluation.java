package org.aivillage.bench.dtn;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.routing.ContactGraphRouting;
import org.aivillage.dtn.routing.EpidemicRouting;
import org.aivillage.dtn.routing.ProphetRouting;
import org.aivillage.dtn.routing.RoutingStrategy;
import org.aivillage.dtn.routing.SprayAndWaitRouting;
import org.aivillage.dtn.routing.StaticRouting;
import org.aivillage.dtn.sim.ContactTrace;
import org.aivillage.dtn.sim.RoutingSimulation;

/**
 * Routing evaluation: every strategy on the same synthetic community contact trace (virtual
 * time), printing a Markdown table of delivery ratio, transmissions per delivered bundle and latency.
 *
 * <p>Usage: {@code RoutingEvaluation [nodes=40] [bundles=1000] [seed=1]}
 */
public final class RoutingEvaluation {
    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int bundles = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long hour = 3_600_000;
        ContactTrace trace = ContactTrace.communities(nodes, 4, 72 * hour, 4 * hour, 48 * hour, 10 * 60_000, 250_000, seed);
        RoutingSimulation.Traffic traffic = new RoutingSimulation.Traffic(bundles, 1024, 48 * hour, 24 * hour, seed + 1);
        System.out.printf("Trace: %d nodes in 4 communities, 72 h, %d contacts (intra-community mean inter-contact 4 h,"
                + " inter-community 48 h, mean contact 10 min, 250 kB/s); %d bundles of 1 KiB over the first 48 h, TTL 24 h.%n%n",
                nodes, trace.contacts().size() / 2, bundles);
        System.out.println("| strategy | delivery ratio | transmissions per delivered bundle | mean latency (h) | median latency (h) |");
        System.out.println("|---|---|---|---|---|");
        List<Map.Entry<String, Function<EndpointId, RoutingStrategy>>> strategies = List.of(
                Map.entry("direct delivery (baseline)", n -> new StaticRouting(Map.of())),
                Map.entry("epidemic", n -> new EpidemicRouting()),
                Map.entry("binary spray-and-wait L=4", n -> new SprayAndWaitRouting(4)),
                Map.entry("binary spray-and-wait L=8", n -> new SprayAndWaitRouting(8)),
                Map.entry("binary spray-and-wait L=16", n -> new SprayAndWaitRouting(16)),
                Map.entry("PRoPHET (RFC 6693 defaults)", n -> new ProphetRouting(n, ProphetRouting.Parameters.rfc6693())),
                Map.entry("contact graph (full plan)", n -> new ContactGraphRouting(n, trace.contacts(), 1024)));
        for (var s : strategies) {
            long t0 = System.nanoTime();
            RoutingSimulation.Result r = RoutingSimulation.run(s.getKey(), trace, traffic, s.getValue());
            System.out.printf("| %s | %.3f | %.2f | %.1f | %.1f |%n", s.getKey(), r.deliveryRatio(), r.overhead(),
                    r.meanLatencyMillis() / hour, r.medianLatencyMillis() / hour);
            System.err.printf("%s simulated in %.1f s%n", s.getKey(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
