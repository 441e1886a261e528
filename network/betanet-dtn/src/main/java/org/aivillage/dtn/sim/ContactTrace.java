package org.aivillage.dtn.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.routing.Contact;

/**
 * A synthetic contact trace for the routing evaluation: {@code nodes} nodes in {@code communities}
 * equal communities; every pair meets with exponential inter-contact times (mean
 * {@code intraMeanMillis} inside a community, {@code interMeanMillis} across) and exponential
 * contact durations (mean {@code durationMeanMillis}); contacts are bidirectional at
 * {@code rateBytesPerSecond}. Deterministic for a seed.
 */
public record ContactTrace(List<EndpointId> nodes, List<Contact> contacts, long durationMillis) {

    public static EndpointId node(int i) {
        return EndpointId.parse("dtn://n" + i + "/");
    }

    public static ContactTrace communities(int nodes, int communities, long durationMillis, long intraMeanMillis,
            long interMeanMillis, long durationMeanMillis, long rateBytesPerSecond, long seed) {
        Random rnd = new Random(seed);
        List<EndpointId> ids = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ids.add(node(i));
        }
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            for (int j = i + 1; j < nodes; j++) {
                boolean same = (i % communities) == (j % communities);
                double mean = same ? intraMeanMillis : interMeanMillis;
                long t = (long) (-Math.log(1 - rnd.nextDouble()) * mean);
                while (t < durationMillis) {
                    long len = Math.max(1000, (long) (-Math.log(1 - rnd.nextDouble()) * durationMeanMillis));
                    contacts.add(new Contact(ids.get(i), ids.get(j), t, t + len, rateBytesPerSecond, 100));
                    contacts.add(new Contact(ids.get(j), ids.get(i), t, t + len, rateBytesPerSecond, 100));
                    t += len + (long) (-Math.log(1 - rnd.nextDouble()) * mean);
                }
            }
        }
        contacts.sort(Comparator.comparingLong(Contact::startMillis));
        return new ContactTrace(List.copyOf(ids), List.copyOf(contacts), durationMillis);
    }
}
