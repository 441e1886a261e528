package org.aivillage.navigator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A time-varying graph given as a contact plan, with earliest-arrival search for contact graph
 * routing (CGR). Immutable and thread-safe.
 *
 * <p>A bundle at node u at time t can use contact c (from u) when it can be sent whole before c
 * ends: sending starts at max(t, c.start), takes ceil(size / rate) and must finish by c.end; it
 * arrives owlt later. Waiting at a node is allowed and arriving earlier never hurts (the FIFO
 * property), so a Dijkstra over nodes keyed by earliest arrival is exact. Contact volume already
 * booked by other bundles is not tracked here: callers that book volume exclude exhausted contacts.
 */
public final class ContactGraph {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    /** Contacts leaving each node, sorted by start time. */
    private final Contact[][] out;
    private final int[][] outTo;
    private final int size;

    public ContactGraph(Collection<Contact> contacts) {
        Map<Integer, List<Contact>> byFrom = new HashMap<>();
        for (Contact c : contacts) {
            if (c == null) {
                throw new IllegalArgumentException("contacts must not contain null");
            }
            int a = intern(c.from());
            intern(c.to());
            byFrom.computeIfAbsent(a, k -> new ArrayList<>()).add(c);
        }
        out = new Contact[names.size()][];
        outTo = new int[names.size()][];
        for (int v = 0; v < names.size(); v++) {
            List<Contact> l = byFrom.getOrDefault(v, List.of());
            Contact[] arr = l.toArray(new Contact[0]);
            Arrays.sort(arr, (x, y) -> Long.compare(x.startMs(), y.startMs()));
            out[v] = arr;
            outTo[v] = new int[arr.length];
            for (int i = 0; i < arr.length; i++) {
                outTo[v][i] = index.get(arr[i].to());
            }
        }
        size = contacts.size();
    }

    private int intern(String id) {
        Integer v = index.get(id);
        if (v == null) {
            v = names.size();
            names.add(id);
            index.put(id, v);
        }
        return v;
    }

    /** Number of contacts in the plan. */
    public int contactCount() {
        return size;
    }

    /** Nodes named by the plan. */
    public Set<String> nodes() {
        return Set.copyOf(names);
    }

    /** The earliest-arrival route, or empty when none (also when a node is not in the plan). */
    public Optional<ContactRoute> earliestArrival(String source, String destination, long startTimeMs,
                                                  long bundleSizeBytes) {
        return earliestArrival(source, destination, startTimeMs, bundleSizeBytes, Set.of(), Set.of());
    }

    /**
     * The earliest-arrival route that passes through none of {@code excludedNodes} (the source and
     * destination cannot be excluded) and uses none of {@code excludedContacts}.
     */
    public Optional<ContactRoute> earliestArrival(String source, String destination, long startTimeMs,
                                                  long bundleSizeBytes, Set<String> excludedNodes,
                                                  Set<Contact> excludedContacts) {
        Checks.nodeId("source", source);
        Checks.nodeId("destination", destination);
        if (bundleSizeBytes < 0) {
            throw new IllegalArgumentException("bundleSizeBytes must be >= 0, got " + bundleSizeBytes);
        }
        Integer s = index.get(source);
        Integer d = index.get(destination);
        if (s == null || d == null || s.equals(d)) {
            return Optional.empty();
        }
        int n = names.size();
        boolean[] excluded = new boolean[n];
        for (String x : excludedNodes) {
            Integer v = index.get(x);
            if (v != null && !v.equals(s) && !v.equals(d)) {
                excluded[v] = true;
            }
        }
        long[] arrival = new long[n];
        Arrays.fill(arrival, Long.MAX_VALUE);
        Contact[] via = new Contact[n];
        long[] sentAt = new long[n];
        int[] pred = new int[n];
        boolean[] done = new boolean[n];
        java.util.PriorityQueue<long[]> heap = new java.util.PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        arrival[s] = startTimeMs;
        heap.add(new long[] {startTimeMs, s});
        while (!heap.isEmpty()) {
            long[] top = heap.poll();
            int u = (int) top[1];
            if (done[u] || top[0] != arrival[u]) {
                continue;
            }
            done[u] = true;
            if (u == d) {
                break;
            }
            long t = arrival[u];
            Contact[] cs = out[u];
            for (int i = 0; i < cs.length; i++) {
                Contact c = cs[i];
                int v = outTo[u][i];
                if (done[v] || excluded[v] || c.endMs() <= t || excludedContacts.contains(c)) {
                    continue;
                }
                long begin = Math.max(t, c.startMs());
                long tx = c.transmissionMs(bundleSizeBytes);
                if (begin >= c.endMs() || tx > c.endMs() - begin) {
                    continue;
                }
                long arr = saturatedAdd(saturatedAdd(begin, tx), c.owltMs());
                if (arr < arrival[v]) {
                    arrival[v] = arr;
                    via[v] = c;
                    sentAt[v] = begin;
                    pred[v] = u;
                    heap.add(new long[] {arr, v});
                }
            }
        }
        if (!done[d]) {
            return Optional.empty();
        }
        List<ContactRoute.Hop> hops = new ArrayList<>();
        for (int v = d; v != s; v = pred[v]) {
            hops.add(new ContactRoute.Hop(via[v], sentAt[v], arrival[v]));
        }
        java.util.Collections.reverse(hops);
        return Optional.of(new ContactRoute(hops, arrival[d]));
    }

    /**
     * Up to {@code maxRoutes} routes in the manner of classic CGR: after each route is found, its
     * limiting contact (the one that ends first) is excluded and the search runs again. Routes come
     * out in the order found; each differs from every earlier one.
     */
    public List<ContactRoute> routes(String source, String destination, long startTimeMs, long bundleSizeBytes,
                                     int maxRoutes, Set<String> excludedNodes) {
        if (maxRoutes < 1) {
            throw new IllegalArgumentException("maxRoutes must be >= 1, got " + maxRoutes);
        }
        Set<Contact> excludedContacts = new HashSet<>();
        List<ContactRoute> found = new ArrayList<>();
        while (found.size() < maxRoutes) {
            Optional<ContactRoute> r = earliestArrival(source, destination, startTimeMs, bundleSizeBytes,
                    excludedNodes, excludedContacts);
            if (r.isEmpty()) {
                break;
            }
            found.add(r.get());
            excludedContacts.add(r.get().limitingContact());
        }
        return found;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
