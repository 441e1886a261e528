package org.aivillage.bitchat.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.aivillage.bitchat.MeshScheduler;
import org.aivillage.bitchat.Neighbor;
import org.aivillage.bitchat.Transport;
import org.aivillage.bitchat.wire.PacketCodec;

/**
 * An in-memory radio network for simulation and tests: endpoints ({@link #endpoint}) joined by
 * bidirectional links with loss, latency and jitter. A broadcast is one transmission (as on a
 * shared radio medium) heard independently by each linked endpoint, or lost per link with the link's
 * loss probability; delivery happens on the scheduler after the link's latency plus uniform jitter.
 * Links can be cut and restored at any time (partitions). Thread-safe.
 */
public final class InMemoryNetwork {
    /** Properties of one link. */
    public record LinkProfile(double loss, Duration latency, Duration jitter) {
        public static final LinkProfile PERFECT = new LinkProfile(0, Duration.ZERO, Duration.ZERO);

        public LinkProfile {
            if (loss < 0 || loss > 1) {
                throw new IllegalArgumentException("loss must be within [0, 1]");
            }
            Objects.requireNonNull(latency);
            Objects.requireNonNull(jitter);
        }
    }

    private final MeshScheduler scheduler;
    private final RandomGenerator random;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final long[] transmissionsByType = new long[256];
    private long transmissions;
    private long deliveries;
    private long losses;

    public InMemoryNetwork(MeshScheduler scheduler, RandomGenerator random) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.random = Objects.requireNonNull(random);
    }

    /** The endpoint (transport) called {@code name}, created on first use. */
    public synchronized Endpoint endpoint(String name) {
        return endpoints.computeIfAbsent(name, Endpoint::new);
    }

    /** Links two endpoints both ways (replacing an existing link's profile). */
    public void connect(String a, String b, LinkProfile profile) {
        List<Runnable> ups = new ArrayList<>();
        synchronized (this) {
            Endpoint ea = endpoint(a);
            Endpoint eb = endpoint(b);
            if (ea == eb) {
                throw new IllegalArgumentException("cannot link an endpoint to itself");
            }
            boolean isNew = !ea.links.containsKey(b);
            ea.links.put(b, profile);
            eb.links.put(a, profile);
            if (isNew) {
                ups.add(() -> ea.neighborUp(eb));
                ups.add(() -> eb.neighborUp(ea));
            }
        }
        for (Runnable r : ups) {
            scheduler.schedule(Duration.ZERO, r);
        }
    }

    /** Cuts the link between two endpoints (both directions). */
    public void disconnect(String a, String b) {
        Endpoint ea;
        Endpoint eb;
        synchronized (this) {
            ea = endpoints.get(a);
            eb = endpoints.get(b);
            if (ea == null || eb == null || ea.links.remove(b) == null) {
                return;
            }
            eb.links.remove(a);
        }
        scheduler.schedule(Duration.ZERO, () -> ea.neighborDown(eb));
        scheduler.schedule(Duration.ZERO, () -> eb.neighborDown(ea));
    }

    public synchronized boolean linked(String a, String b) {
        Endpoint ea = endpoints.get(a);
        return ea != null && ea.links.containsKey(b);
    }

    /** Broadcast transmissions so far (one per frame sent by an endpoint). */
    public synchronized long transmissions() {
        return transmissions;
    }

    /** Transmissions of frames whose packet type is {@code type}. */
    public synchronized long transmissions(int type) {
        return transmissionsByType[type & 0xff];
    }

    /** Frames that reached a receiver / were lost on a link. */
    public synchronized long deliveries() {
        return deliveries;
    }

    public synchronized long losses() {
        return losses;
    }

    public synchronized void resetCounters() {
        transmissions = 0;
        deliveries = 0;
        losses = 0;
        java.util.Arrays.fill(transmissionsByType, 0);
    }

    private void transmit(Endpoint from, byte[] frame, String except) {
        List<Runnable> deliveriesToSchedule = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        synchronized (this) {
            transmissions++;
            int type = PacketCodec.peekType(frame);
            if (type >= 0) {
                transmissionsByType[type]++;
            }
            for (Map.Entry<String, LinkProfile> link : from.links.entrySet()) {
                if (link.getKey().equals(except)) {
                    continue;
                }
                LinkProfile p = link.getValue();
                if (p.loss() > 0 && random.nextDouble() < p.loss()) {
                    losses++;
                    continue;
                }
                Endpoint to = endpoints.get(link.getKey());
                long jitter = p.jitter().isZero() ? 0 : (long) (random.nextDouble() * p.jitter().toNanos());
                delays.add(p.latency().plusNanos(jitter));
                deliveriesToSchedule.add(() -> to.receive(from, frame));
            }
        }
        for (int i = 0; i < delays.size(); i++) {
            scheduler.schedule(delays.get(i), deliveriesToSchedule.get(i));
        }
    }

    /** One node's attachment to the network; a {@link Transport}. */
    public final class Endpoint implements Transport {
        private final String name;
        private final Map<String, LinkProfile> links = new LinkedHashMap<>();
        private volatile Listener listener;

        Endpoint(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return "mem";
        }

        /** The endpoint's name in the network. */
        public String endpointName() {
            return name;
        }

        @Override
        public void start(Listener l) {
            List<Endpoint> current;
            synchronized (InMemoryNetwork.this) {
                listener = Objects.requireNonNull(l);
                current = new ArrayList<>();
                for (String n : links.keySet()) {
                    current.add(endpoints.get(n));
                }
            }
            for (Endpoint e : current) {
                scheduler.schedule(Duration.ZERO, () -> neighborUp(e));
            }
        }

        @Override
        public void broadcast(byte[] frame, Neighbor except) {
            transmit(this, frame, except == null ? null : except.address());
        }

        @Override
        public void send(Neighbor to, byte[] frame) {
            // unicast on a radio is still a transmission; only the addressee hears it here
            List<Runnable> r = new ArrayList<>(1);
            Duration delay = Duration.ZERO;
            synchronized (InMemoryNetwork.this) {
                transmissions++;
                int type = PacketCodec.peekType(frame);
                if (type >= 0) {
                    transmissionsByType[type]++;
                }
                LinkProfile p = links.get(to.address());
                Endpoint target = endpoints.get(to.address());
                if (p == null || target == null) {
                    return;
                }
                if (p.loss() > 0 && random.nextDouble() < p.loss()) {
                    losses++;
                    return;
                }
                delay = p.latency();
                r.add(() -> target.receive(this, frame));
            }
            scheduler.schedule(delay, r.get(0));
        }

        @Override
        public Collection<Neighbor> neighbors() {
            synchronized (InMemoryNetwork.this) {
                List<Neighbor> out = new ArrayList<>(links.size());
                for (String n : links.keySet()) {
                    out.add(new Neighbor("mem", n));
                }
                return out;
            }
        }

        void receive(Endpoint from, byte[] frame) {
            Listener l = listener;
            synchronized (InMemoryNetwork.this) {
                if (l == null || !links.containsKey(from.name)) {
                    return; // not started, or the link was cut while the frame was in flight
                }
                deliveries++;
            }
            l.onFrame(this, new Neighbor("mem", from.name), frame);
        }

        void neighborUp(Endpoint other) {
            Listener l = listener;
            if (l != null && linkedTo(other)) {
                l.onNeighborUp(this, new Neighbor("mem", other.name));
            }
        }

        void neighborDown(Endpoint other) {
            Listener l = listener;
            if (l != null) {
                l.onNeighborDown(this, new Neighbor("mem", other.name));
            }
        }

        private boolean linkedTo(Endpoint other) {
            synchronized (InMemoryNetwork.this) {
                return links.containsKey(other.name);
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryNetwork.this) {
                listener = null;
            }
        }
    }
}
