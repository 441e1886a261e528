package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Store-and-forward across a partition: four nodes on loopback in a line a - b - c - d whose links
 * come and go. Bundles sent while d is unreachable arrive once the path heals, exactly once each.
 */
class PartitionTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"epidemic", "spray_and_wait", "prophet", "static"})
    void bundlesCrossAHealingPartition(String strategy) throws Exception {
        RoutingConfig routing = strategy.equals("static")
                ? new RoutingConfig.Static(Map.of("*", EndpointId.parse("dtn://next/")))
                : RoutingConfig.named(strategy, 8);
        Set<String> got = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).routing(staticOr(routing, "b")).build());
                DtnNode b = Nodes.start(Nodes.config("b", dir).routing(staticOr(routing, "c")).build());
                DtnNode c = Nodes.start(Nodes.config("c", dir).routing(staticOr(routing, "d")).build());
                DtnNode d = Nodes.start(Nodes.config("d", dir).routing(staticOr(routing, "d")).build())) {
            EndpointId inbox = EndpointId.parse("dtn://d/inbox");
            
            d.register(inbox, r -> {
                got.add(new String(r.payload(), StandardCharsets.UTF_8));
                deliveries.incrementAndGet();
            });
            // Phase 1: only a - b is up; the bundles reach b (or stay at a) and wait.
            a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
            for (int i = 0; i < 20; i++) {
                a.sendBundle(SendRequest.to(inbox, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            if (!strategy.equals("prophet")) {
                Nodes.await("bundles reach b", Duration.ofSeconds(10), () -> b.pendingBundles() == 20);
            }
            // Phase 2: a - b goes away, b - c comes up: the bundles move on to c, d still unreachable.
            a.disconnect(EndpointId.parse("dtn://b/"));
            b.connect(c.tcpclAddress(), Duration.ofSeconds(5));
            if (!strategy.equals("prophet")) {
                Nodes.await("bundles reach c", Duration.ofSeconds(10), () -> c.pendingBundles() == 20);
            }
            assertThat(got).isEmpty();
            // Phase 3: the path heals (c - d up, and a - b again for PRoPHET's sake): everything arrives.
            c.connect(d.tcpclAddress(), Duration.ofSeconds(5));
            if (strategy.equals("prophet")) {
                a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
                b.connect(d.tcpclAddress(), Duration.ofSeconds(5));
            }
            Nodes.await("all 20 delivered to d", Duration.ofSeconds(20), () -> got.size() == 20);
        }
        assertThat(deliveries.get()).as("each bundle delivered exactly once").isEqualTo(20);
    }

    private static RoutingConfig staticOr(RoutingConfig r, String next) {
        return r instanceof RoutingConfig.Static ? new RoutingConfig.Static(Map.of("*", EndpointId.parse("dtn://" + next + "/"))) : r;
    }
}
