package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.aivillage.dtn.routing.ContactGraphRouting;
import org.aivillage.dtn.routing.EpidemicRouting;
import org.aivillage.dtn.routing.SprayAndWaitRouting;
import org.aivillage.dtn.routing.StaticRouting;
import org.aivillage.dtn.sim.ContactTrace;
import org.aivillage.dtn.sim.RoutingSimulation;
import org.junit.jupiter.api.Test;

/** A small run of the evaluation harness: the orderings the literature predicts hold. */
class RoutingSimulationTest {
    @Test
    void strategiesCompareAsExpected() {
        long hour = 3_600_000;
        ContactTrace trace = ContactTrace.communities(20, 4, 48 * hour, 3 * hour, 30 * hour, 10 * 60_000, 250_000, 11);
        RoutingSimulation.Traffic traffic = new RoutingSimulation.Traffic(150, 1024, 24 * hour, 24 * hour, 5);
        var epidemic = RoutingSimulation.run("epidemic", trace, traffic, n -> new EpidemicRouting());
        var spray = RoutingSimulation.run("spray", trace, traffic, n -> new SprayAndWaitRouting(6));
        var direct = RoutingSimulation.run("direct", trace, traffic, n -> new StaticRouting(Map.of()));
        var cgr = RoutingSimulation.run("cgr", trace, traffic, n -> new ContactGraphRouting(n, trace.contacts(), 1024));
        assertThat(epidemic.created()).isEqualTo(150);
        assertThat(epidemic.deliveryRatio()).isGreaterThan(direct.deliveryRatio());
        assertThat(spray.deliveryRatio()).isGreaterThan(direct.deliveryRatio());
        assertThat(spray.overhead()).isLessThan(epidemic.overhead() / 2);
        assertThat(direct.overhead()).isEqualTo(1.0);
        assertThat(cgr.overhead()).isLessThan(spray.overhead());
        assertThat(cgr.deliveryRatio()).isGreaterThanOrEqualTo(direct.deliveryRatio());
        assertThat(epidemic.meanLatencyMillis()).isLessThanOrEqualTo(direct.meanLatencyMillis());
    }
}
