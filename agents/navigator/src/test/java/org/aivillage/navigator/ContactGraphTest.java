package org.aivillage.navigator;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Earliest-arrival search over contact plans, against brute force over every contact sequence. */
class ContactGraphTest {

    private static List<Contact> randomPlan(Random r, int nodes, int contacts) {
        List<Contact> plan = new ArrayList<>();
        double[] rates = {1, 10, 100, 1000};
        while (plan.size() < contacts) {
            int a = r.nextInt(nodes);
            int b = r.nextInt(nodes);
            if (a == b) {
                continue;
            }
            long start = r.nextInt(100);
            long end = start + 1 + r.nextInt(60);
            plan.add(new Contact("n" + a, "n" + b, start, end, rates[r.nextInt(rates.length)], r.nextInt(6)));
        }
        return plan;
    }

    /** Earliest arrival over all node-simple contact sequences, each timed greedily (send as early as possible). */
    private static long bruteForce(List<Contact> plan, String at, String dst, long t, long size, Set<String> visited,
                                   Set<String> excludedNodes, Set<Contact> excludedContacts) {
        if (at.equals(dst)) {
            return t;
        }
        long best = Long.MAX_VALUE;
        for (Contact c : plan) {
            if (!c.from().equals(at) || visited.contains(c.to()) || excludedContacts.contains(c)
                    || (excludedNodes.contains(c.to()) && !c.to().equals(dst))) {
                continue;
            }
            long begin = Math.max(t, c.startMs());
            long tx = c.transmissionMs(size);
            if (begin >= c.endMs() || begin + tx > c.endMs()) {
                continue;
            }
            visited.add(c.to());
            best = Math.min(best, bruteForce(plan, c.to(), dst, begin + tx + c.owltMs(), size, visited,
                    excludedNodes, excludedContacts));
            visited.remove(c.to());
        }
        return best;
    }

    private static void assertConsistent(ContactRoute route, String src, String dst, long start, long size) {
        String at = src;
        long t = start;
        for (ContactRoute.Hop h : route.hops()) {
            Contact c = h.contact();
            assertThat(c.from()).isEqualTo(at);
            assertThat(h.transmitStartMs()).isEqualTo(Math.max(t, c.startMs()));
            assertThat(h.transmitStartMs() + c.transmissionMs(size)).isLessThanOrEqualTo(c.endMs());
            assertThat(h.arrivalMs()).isEqualTo(h.transmitStartMs() + c.transmissionMs(size) + c.owltMs());
            at = c.to();
            t = h.arrivalMs();
        }
        assertThat(at).isEqualTo(dst);
        assertThat(route.arrivalTimeMs()).isEqualTo(t);
    }

    @Test
    void earliestArrivalMatchesBruteForce() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(this::earliestArrivalMatchesBruteForceCase);
    }

    private void earliestArrivalMatchesBruteForceCase(long seed) {
        Random r = new Random(seed);
        int nodes = 3 + r.nextInt(4);
        List<Contact> plan = randomPlan(r, nodes, 4 + r.nextInt(14));
        ContactGraph graph = new ContactGraph(plan);
        String src = "n0";
        String dst = "n" + (1 + r.nextInt(nodes - 1));
        long start = r.nextInt(50);
        long size = r.nextInt(4) == 0 ? 0 : r.nextInt(2000);
        Set<String> exNodes = r.nextBoolean() ? Set.of("n" + r.nextInt(nodes)) : Set.of();
        Set<Contact> exContacts = r.nextBoolean() ? Set.of(plan.get(r.nextInt(plan.size()))) : Set.of();
        Set<String> visited = new HashSet<>(Set.of(src));
        long want = bruteForce(plan, src, dst, start, size, visited, exNodes, exContacts);
        Optional<ContactRoute> got = graph.earliestArrival(src, dst, start, size, exNodes, exContacts);
        if (want == Long.MAX_VALUE) {
            assertThat(got).as("seed %d", seed).isEmpty();
        } else {
            assertThat(got).as("seed %d", seed).isPresent();
            assertConsistent(got.get(), src, dst, start, size);
            assertThat(got.get().arrivalTimeMs()).as("seed %d", seed).isEqualTo(want);
            for (ContactRoute.Hop h : got.get().hops()) {
                assertThat(exContacts).doesNotContain(h.contact());
                if (!h.contact().to().equals(dst)) {
                    assertThat(exNodes).doesNotContain(h.contact().to());
                }
            }
        }
        List<ContactRoute> routes = graph.routes(src, dst, start, size, 5, exNodes);
        Set<Contact> removed = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            ContactRoute route = routes.get(i);
            assertConsistent(route, src, dst, start, size);
            for (Contact c : route.contacts()) {
                assertThat(removed).doesNotContain(c);
            }
            long best = bruteForce(plan, src, dst, start, size, new HashSet<>(Set.of(src)), exNodes, removed);
            assertThat(route.arrivalTimeMs()).isEqualTo(best);
            removed.add(route.limitingContact());
        }
        if (routes.size() < 5) {
            assertThat(graph.earliestArrival(src, dst, start, size, exNodes, removed)).isEmpty();
        }
    }

    @Test
    void waitsForTheNextContactAndAccountsForRateAndLightTime() {
        ContactGraph g = new ContactGraph(List.of(
                new Contact("earth", "relay", 1_000, 5_000, 1_000, 1_200),
                new Contact("relay", "mars", 10_000, 20_000, 500, 600_000),
                new Contact("earth", "mars", 100_000, 200_000, 100, 600_000)));
        ContactRoute r = g.earliestArrival("earth", "mars", 0, 2_000).orElseThrow();
        assertThat(r.contacts()).extracting(Contact::to).containsExactly("relay", "mars");
        assertThat(r.hops().get(0).transmitStartMs()).isEqualTo(1_000);
        assertThat(r.hops().get(0).arrivalMs()).isEqualTo(1_000 + 2_000 + 1_200);
        assertThat(r.hops().get(1).transmitStartMs()).isEqualTo(10_000);
        assertThat(r.arrivalTimeMs()).isEqualTo(10_000 + 4_000 + 600_000);
        assertThat(r.nextHop()).isEqualTo("relay");
        assertThat(r.limitingContact().to()).isEqualTo("relay");
        // Too big for the first contact (5 MB at 1 kB/s does not fit in 4 s): direct contact only... also too small.
        assertThat(g.earliestArrival("earth", "mars", 0, 5_000_000)).isEmpty();
        // After the relay contact closes, only the direct contact remains.
        assertThat(g.earliestArrival("earth", "mars", 6_000, 2_000).orElseThrow().contacts()).hasSize(1);
        assertThat(g.routes("earth", "mars", 0, 2_000, 10, Set.of())).hasSize(2);
        assertThat(g.earliestArrival("earth", "pluto", 0, 1)).isEmpty();
    }
}
