package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aivillage.dtn.routing.Contact;
import org.aivillage.dtn.routing.ContactGraphRouting;
import org.aivillage.dtn.routing.EpidemicRouting;
import org.aivillage.dtn.routing.ProphetRouting;
import org.aivillage.dtn.routing.RoutingStrategy;
import org.aivillage.dtn.routing.RoutingStrategy.BundleView;
import org.aivillage.dtn.routing.SprayAndWaitRouting;
import org.aivillage.dtn.routing.StaticRouting;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private static final EndpointId A = EndpointId.parse("dtn://a/");
    private static final EndpointId B = EndpointId.parse("dtn://b/");
    private static final EndpointId C = EndpointId.parse("dtn://c/");
    private static final EndpointId D = EndpointId.parse("dtn://d/");
    private static final BundleId ID = BundleId.whole(A, new CreationTimestamp(1, 0));

    private static BundleView view(EndpointId dest, long copies, Set<EndpointId> holders) {
        return new BundleView(ID, dest, copies, holders, null);
    }

    @Test
    void sprayAndWaitHalvesCopiesThenWaits() {
        SprayAndWaitRouting s = new SprayAndWaitRouting(8);
        assertThat(s.initialCopies()).isEqualTo(8);
        assertThat(s.decide(view(D, 8, Set.of()), B, 0)).isEqualTo(RoutingStrategy.Decision.replicate(4, 4));
        assertThat(s.decide(view(D, 3, Set.of()), B, 0)).isEqualTo(RoutingStrategy.Decision.replicate(1, 2));
        assertThat(s.decide(view(D, 1, Set.of()), B, 0).send()).isFalse();
        assertThat(s.decide(view(D, 1, Set.of()), D, 0)).isEqualTo(RoutingStrategy.Decision.forward(1));
        assertThat(s.decide(view(D, 8, Set.of(B)), B, 0).send()).isFalse();
    }

    @Test
    void epidemicCopiesToEveryoneWithoutIt() {
        EpidemicRouting e = new EpidemicRouting();
        assertThat(e.decide(view(D, 1, Set.of()), B, 0).send()).isTrue();
        assertThat(e.decide(view(D, 1, Set.of(B)), B, 0).send()).isFalse();
        assertThat(e.decide(new BundleView(ID, D, 1, Set.of(), B), B, 0).send()).isFalse();
        assertThat(e.decide(view(D, 1, Set.of()), D, 0).deleteAfter()).isTrue();
    }

    @Test
    void prophetFollowsRfc6693Equations() {
        ProphetRouting.Parameters p = ProphetRouting.Parameters.rfc6693();
        ProphetRouting a = new ProphetRouting(A, p);
        a.contactUp(B, 0);
        // Equation 1 with P_encounter_first: 0 + (1 - 0.01 - 0) * 0.5
        assertThat(a.predictability(B)).isCloseTo(0.495, org.assertj.core.data.Offset.offset(1e-9));
        // Transitivity (equation 3): P(a,d) = P(a,b) * P(b,d) * beta
        a.peerSummary(B, Map.of(D, 0.8), 0);
        assertThat(a.predictability(D)).isCloseTo(0.495 * 0.8 * 0.9, org.assertj.core.data.Offset.offset(1e-9));
        // Aging (equation 2): 10 time units later, multiplied by gamma^10
        double before = a.predictability(B);
        a.summary(10 * p.timeUnitMillis());
        assertThat(a.predictability(B)).isCloseTo(before * Math.pow(p.gamma(), 10), org.assertj.core.data.Offset.offset(1e-9));
        // GRTR: copy to b only if b's predictability for d is higher than ours.
        assertThat(a.decide(view(D, 1, Set.of()), B, 10 * p.timeUnitMillis()).send()).isTrue();
        a.peerSummary(B, Map.of(D, 0.01), 10 * p.timeUnitMillis());
        assertThat(a.decide(view(D, 1, Set.of()), B, 10 * p.timeUnitMillis()).send()).isFalse();
    }

    @Test
    void contactGraphFindsEarliestArrival() {
        List<Contact> plan = List.of(
                new Contact(A, B, 0, 100_000, 1_000_000, 10),
                new Contact(B, D, 500_000, 600_000, 1_000_000, 10),
                new Contact(A, C, 50_000, 60_000, 1_000_000, 10),
                new Contact(C, D, 70_000, 80_000, 1_000_000, 10));
        ContactGraphRouting cgr = new ContactGraphRouting(A, plan, 1000);
        var route = cgr.route(D, 0, null).orElseThrow();
        assertThat(route.firstHop().to()).isEqualTo(C);
        assertThat(route.hops()).isEqualTo(2);
        assertThat(route.arrivalMillis()).isEqualTo(70_000 + 10 + 1);
        // Not yet in contact with c: hold. In contact with b: not on the best route: hold.
        assertThat(cgr.decide(view(D, 1, Set.of()), B, 0).send()).isFalse();
        assertThat(cgr.decide(view(D, 1, Set.of()), C, 55_000).send()).isTrue();
        // After the c contacts are over, the route through b is the one left.
        assertThat(cgr.route(D, 90_000, null).orElseThrow().firstHop().to()).isEqualTo(B);
        assertThat(cgr.route(D, 700_000, null)).isEmpty();
    }

    @Test
    void staticRoutesUseNextHopOrDefault() {
        StaticRouting s = new StaticRouting(Map.of("dtn://d/", C, "*", B));
        assertThat(s.decide(view(D, 1, Set.of()), C, 0).send()).isTrue();
        assertThat(s.decide(view(D, 1, Set.of()), B, 0).send()).isFalse();
        assertThat(s.decide(view(EndpointId.parse("dtn://z/"), 1, Set.of()), B, 0).send()).isTrue();
    }
}
