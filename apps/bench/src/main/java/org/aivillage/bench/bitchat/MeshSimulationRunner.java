package org.aivillage.bench.bitchat;

import java.time.Duration;
import java.util.Locale;
import org.aivillage.bitchat.RelayPolicy;
import org.aivillage.bitchat.sim.MeshSimulation;

/**
 * The mesh simulation behind docs/benchmarks.md ("BitChat mesh"): real nodes on lossy in-memory
 * links shaped like random geometric graphs, in simulated time. Prints markdown tables: broadcast
 * delivery ratio and transmissions per message against TTL for flooding and the adaptive policy;
 * private-message delivery; a partition that heals.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.bitchat.MeshSimulationRunner [nodes] [degree] [loss] [seeds]</pre>
 */
public final class MeshSimulationRunner {
    private MeshSimulationRunner() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double degree = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        double loss = args.length > 2 ? Double.parseDouble(args[2]) : 0.10;
        int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        long started = System.nanoTime();
        MeshSimulation.Spec base = MeshSimulation.Spec.defaults().withNodes(nodes).withAverageDegree(degree).withLoss(loss);
        RelayPolicy flooding = RelayPolicy.flooding(Duration.ofMillis(10), Duration.ofMillis(100));
        System.out.printf(Locale.ROOT, "%d nodes, average degree %.0f, link loss %.0f %%, latency 5-15 ms, %d graph seeds, 30 broadcasts each%n%n",
                nodes, degree, loss * 100, seeds);
        System.out.println("| TTL | policy | delivery (all nodes) | delivery (within TTL+1 hops) | transmissions / message | mean latency |");
        System.out.println("|---|---|---|---|---|---|");
        for (int ttl : new int[] {1, 2, 3, 5, 7}) {
            for (String name : new String[] {"flooding", "adaptive"}) {
                RelayPolicy policy = name.equals("flooding") ? flooding : RelayPolicy.adaptive();
                double all = 0;
                double reach = 0;
                double tx = 0;
                double lat = 0;
                for (int seed = 1; seed <= seeds; seed++) {
                    try (MeshSimulation sim = MeshSimulation.start(base.withTtl(ttl).withPolicy(policy).withSeed(seed))) {
                        MeshSimulation.BroadcastResult r = sim.broadcast(30, Duration.ofSeconds(1));
                        all += r.deliveryRatio();
                        reach += r.reachableDeliveryRatio();
                        tx += r.transmissionsPerMessage();
                        lat += r.meanLatencyMillis();
                    }
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f %% | %.1f %% | %.1f | %.0f ms |%n", ttl, name, 100 * all / seeds,
                        100 * reach / seeds, tx / seeds, lat / seeds);
            }
        }
        System.out.println();
        System.out.println("| private messages (TTL 7, adaptive) | delivered | acknowledged | frames / message | mean latency |");
        System.out.println("|---|---|---|---|---|");
        for (int seed = 1; seed <= seeds; seed++) {
            try (MeshSimulation sim = MeshSimulation.start(base.withSeed(seed))) {
                MeshSimulation.PrivateResult r = sim.privateMessages(20, Duration.ofMinutes(3));
                System.out.printf(Locale.ROOT, "| seed %d, 20 random pairs | %.0f %% | %.0f %% | %.0f | %.2f s |%n", seed,
                        100 * r.deliveryRatio(), 100 * r.acknowledgedRatio(), r.transmissionsPerMessage(),
                        r.meanLatencyMillis() / 1000);
            }
        }
        System.out.println();
        System.out.println("| partition at x = 0.5 for 60 s, then healed | private delivered while split | after heal | seconds to last | public (right half) while split | after heal |");
        System.out.println("|---|---|---|---|---|---|");
        for (int seed = 1; seed <= seeds; seed++) {
            try (MeshSimulation sim = MeshSimulation.start(base.withSeed(seed))) {
                MeshSimulation.PartitionResult r = sim.partitionAndHeal(10, 5, Duration.ofSeconds(60), Duration.ofMinutes(5));
                System.out.printf(Locale.ROOT, "| seed %d: %d private, %d public from the left | %d | %d / %d | %.1f | %d | %.1f %% |%n",
                        seed, r.privateSent(), r.publicSent(), r.privateDeliveredWhileSplit(), r.privateDeliveredAfterHeal(),
                        r.privateSent(), r.secondsToDeliverAfterHeal(), r.publicRightReceiversWhileSplit(),
                        100 * r.publicRightDeliveryRatio());
            }
        }
        System.out.printf(Locale.ROOT, "%nwall time %.0f s%n", (System.nanoTime() - started) / 1e9);
    }
}
