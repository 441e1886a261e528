package org.aivillage.bitchat.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.aivillage.bitchat.BitChatCla;
import org.aivillage.bitchat.BitChatIdentity;
import org.aivillage.bitchat.BitChatListener;
import org.aivillage.bitchat.DeliveryStatus;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.MessageConfig;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.ReceivedMessage;
import org.aivillage.bitchat.RelayPolicy;
import org.aivillage.bitchat.wire.MessageType;

/**
 * A mesh of real {@link BitChatCla} nodes (real packets, signatures, Noise sessions, relay policy,
 * store-and-forward) on an {@link InMemoryNetwork} shaped like a {@link RandomGeometricGraph}, run
 * in {@link VirtualScheduler simulated time} on the calling thread. Deterministic per seed (apart
 * from key generation, which uses the system's secure random).
 */
public final class MeshSimulation implements AutoCloseable {

    /**
     * What to simulate.
     *
     * @param nodes number of nodes
     * @param averageDegree expected neighbours per node (sets the radio radius)
     * @param loss per-link frame loss probability
     * @param latency per-link latency
     * @param jitter extra uniform per-frame delay
     * @param ttl hop limit of every packet
     * @param policy relay policy of every node
     * @param seed graph, loss and relay randomness
     * @param announceInterval announce period
     */
    public record Spec(int nodes, double averageDegree, double loss, Duration latency, Duration jitter, int ttl,
            RelayPolicy policy, long seed, Duration announceInterval) {
        public Spec {
            Objects.requireNonNull(policy);
            if (nodes < 2) {
                throw new IllegalArgumentException("need at least two nodes");
            }
        }

        /** 60 nodes, degree 8, 10 % loss, 5-15 ms links, TTL 7, the adaptive policy. */
        public static Spec defaults() {
            return new Spec(60, 8, 0.10, Duration.ofMillis(5), Duration.ofMillis(10), 7, RelayPolicy.adaptive(), 1,
                    Duration.ofSeconds(10));
        }

        public Spec withTtl(int v) {
            return new Spec(nodes, averageDegree, loss, latency, jitter, v, policy, seed, announceInterval);
        }

        public Spec withPolicy(RelayPolicy v) {
            return new Spec(nodes, averageDegree, loss, latency, jitter, ttl, v, seed, announceInterval);
        }

        public Spec withLoss(double v) {
            return new Spec(nodes, averageDegree, v, latency, jitter, ttl, policy, seed, announceInterval);
        }

        public Spec withSeed(long v) {
            return new Spec(nodes, averageDegree, loss, latency, jitter, ttl, policy, v, announceInterval);
        }

        public Spec withNodes(int v) {
            return new Spec(v, averageDegree, loss, latency, jitter, ttl, policy, seed, announceInterval);
        }

        public Spec withAverageDegree(double v) {
            return new Spec(nodes, v, loss, latency, jitter, ttl, policy, seed, announceInterval);
        }
    }

    /**
     * Result of a broadcast experiment.
     *
     * @param messages public messages sent
     * @param deliveryRatio receptions / (messages x (nodes - 1))
     * @param reachableDeliveryRatio receptions / receivers within TTL + 1 hops of the source
     * @param transmissionsPerMessage frames of the message type transmitted per message (all nodes)
     * @param meanLatencyMillis mean time from send to reception
     * @param maxLatencyMillis slowest reception
     */
    public record BroadcastResult(int messages, double deliveryRatio, double reachableDeliveryRatio,
            double transmissionsPerMessage, double meanLatencyMillis, double maxLatencyMillis) {
    }

    /**
     * Result of a private-message experiment.
     *
     * @param messages private messages sent (random pairs within TTL + 1 hops)
     * @param deliveryRatio share received by their recipient
     * @param acknowledgedRatio share whose sender saw the delivery acknowledgement
     * @param transmissionsPerMessage Noise handshake, message, ack and fragment frames per message
     * @param meanLatencyMillis mean time from send to reception
     */
    public record PrivateResult(int messages, double deliveryRatio, double acknowledgedRatio,
            double transmissionsPerMessage, double meanLatencyMillis) {
    }

    /**
     * Result of a partition experiment: the nodes are split at x = 0.5, messages are sent from the
     * left half while split, then the links are restored.
     *
     * @param privateSent private messages from left to right nodes
     * @param privateDeliveredWhileSplit of those, delivered before the heal (must be 0)
     * @param privateDeliveredAfterHeal delivered after the heal
     * @param secondsToDeliverAfterHeal simulated seconds from heal to the last private delivery
     * @param publicSent public messages from left nodes
     * @param publicRightReceiversWhileSplit right-side receptions before the heal (must be 0)
     * @param publicRightDeliveryRatio share of (public message, right node) pairs delivered after the heal
     */
    public record PartitionResult(int privateSent, int privateDeliveredWhileSplit, int privateDeliveredAfterHeal,
            double secondsToDeliverAfterHeal, int publicSent, int publicRightReceiversWhileSplit,
            double publicRightDeliveryRatio) {
    }

    private record Reception(int node, long atNanos) {
    }

    private final Spec spec;
    private final RandomGeometricGraph graph;
    private final VirtualScheduler scheduler;
    private final InMemoryNetwork network;
    private final InMemoryNetwork.LinkProfile link;
    private final List<BitChatCla> nodes = new ArrayList<>();
    private final Map<MeshPeerId, Integer> indexOf = new HashMap<>();
    private final Map<String, List<Reception>> receptions = new HashMap<>();
    private final Map<String, Long> sentAt = new HashMap<>();
    private final Map<String, DeliveryStatus> statuses = new HashMap<>();
    private final SplittableRandom random;

    private MeshSimulation(Spec spec) throws IOException {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        RandomGeometricGraph g = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            g = RandomGeometricGraph.withAverageDegree(spec.nodes(), spec.averageDegree(), random);
            if (g.largestComponent() == spec.nodes()) {
                break; // a connected topology, so delivery ratios measure the protocol, not the graph
            }
        }
        this.graph = g;
        this.scheduler = new VirtualScheduler(1_767_225_600_000L);
        this.network = new InMemoryNetwork(scheduler, random.split());
        this.link = new InMemoryNetwork.LinkProfile(spec.loss(), spec.latency(), spec.jitter());
        for (int i = 0; i < spec.nodes(); i++) {
            for (int j : graph.neighbors(i)) {
                if (j > i) {
                    network.connect(name(i), name(j), link);
                }
            }
        }
        for (int i = 0; i < spec.nodes(); i++) {
            int index = i;
            PeerConfig config = PeerConfig.builder().nickname(name(i)).listenPort(-1).discoveryEnabled(true)
                    .multicastGroup(null).maxTtl(spec.ttl()).announceInterval(spec.announceInterval())
                    .handshakeTimeout(Duration.ofSeconds(5)).retransmitInterval(Duration.ofSeconds(5)).build();
            BitChatCla node = BitChatCla.builder(config).identity(BitChatIdentity.generate()).defaultTransports(false)
                    .transport(network.endpoint(name(i))).scheduler(scheduler).relayPolicy(spec.policy())
                    .random(random.split()).listener(new BitChatListener() {
                        @Override
                        public void onMessage(ReceivedMessage m) {
                            receptions.computeIfAbsent(m.messageId(), k -> new ArrayList<>())
                                    .add(new Reception(index, scheduler.elapsed().toNanos()));
                        }

                        @Override
                        public void onDeliveryStatus(String id, MeshPeerId recipient, DeliveryStatus status) {
                            statuses.put(id, status);
                        }
                    }).build();
            nodes.add(node);
            indexOf.put(node.peerId(), i);
        }
    }

    /** Builds the mesh, starts every node's discovery at a random moment within one second, and lets
     *  three announce intervals pass. */
    public static MeshSimulation start(Spec spec) throws IOException {
        MeshSimulation s = new MeshSimulation(spec);
        for (BitChatCla node : s.nodes) {
            s.scheduler.schedule(Duration.ofMillis(s.random.nextInt(1000)), node::startDiscovery);
        }
        s.scheduler.runFor(spec.announceInterval().multipliedBy(3));
        return s;
    }

    public Spec spec() {
        return spec;
    }

    public RandomGeometricGraph graph() {
        return graph;
    }

    public VirtualScheduler scheduler() {
        return scheduler;
    }

    public InMemoryNetwork network() {
        return network;
    }

    public BitChatCla node(int i) {
        return nodes.get(i);
    }

    /** How many other nodes lie within TTL + 1 hops of a node (what its announces can reach), averaged. */
    public double meanReachableWithinTtl() {
        long sum = 0;
        for (int i = 0; i < graph.size(); i++) {
            for (int d : graph.hopDistances(i)) {
                if (d > 0 && d <= spec.ttl() + 1) {
                    sum++;
                }
            }
        }
        return (double) sum / graph.size();
    }

    /** How many other nodes each node knows (verified announces), averaged. */
    public double meanKnownPeers() {
        return nodes.stream().mapToInt(n -> n.getDiscoveredPeers().size()).average().orElse(0);
    }

    /** Sends {@code messages} public messages from random nodes, {@code spacing} apart, then waits 15 s. */
    public BroadcastResult broadcast(int messages, Duration spacing) {
        network.resetCounters();
        List<String> ids = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        for (int k = 0; k < messages; k++) {
            int src = random.nextInt(nodes.size());
            String id = nodes.get(src).sendMessage(MessageConfig.publicText("public " + k + " from " + name(src)));
            sentAt.put(id, scheduler.elapsed().toNanos());
            ids.add(id);
            sources.add(src);
            scheduler.runFor(spacing);
        }
        scheduler.runFor(Duration.ofSeconds(15));
        long received = 0;
        long reachable = 0;
        long receivedReachable = 0;
        double latencySum = 0;
        double latencyMax = 0;
        for (int k = 0; k < ids.size(); k++) {
            int[] hops = graph.hopDistances(sources.get(k));
            Set<Integer> got = new HashSet<>();
            for (Reception r : receptions.getOrDefault(ids.get(k), List.of())) {
                if (got.add(r.node)) {
                    double ms = (r.atNanos - sentAt.get(ids.get(k))) / 1e6;
                    latencySum += ms;
                    latencyMax = Math.max(latencyMax, ms);
                }
            }
            received += got.size();
            for (int i = 0; i < hops.length; i++) {
                if (i != sources.get(k) && hops[i] > 0 && hops[i] <= spec.ttl() + 1) {
                    reachable++;
                    if (got.contains(i)) {
                        receivedReachable++;
                    }
                }
            }
        }
        double tx = network.transmissions(MessageType.MESSAGE.code()) + network.transmissions(MessageType.FRAGMENT.code());
        return new BroadcastResult(messages, (double) received / ((long) messages * (nodes.size() - 1)),
                reachable == 0 ? 0 : (double) receivedReachable / reachable, tx / messages,
                received == 0 ? 0 : latencySum / received, latencyMax);
    }

    /** Sends {@code count} private messages between random pairs at most TTL + 1 hops apart. */
    public PrivateResult privateMessages(int count, Duration maxWait) {
        network.resetCounters();
        List<String> ids = new ArrayList<>();
        List<Integer> recipients = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int src;
            int dst;
            int attempts = 0;
            do {
                src = random.nextInt(nodes.size());
                dst = random.nextInt(nodes.size());
            } while (src == dst || (!withinReach(src, dst) && ++attempts < 10_000));
            String id = nodes.get(src).sendMessage(MessageConfig.text(nodes.get(dst).peerId(), "private " + k));
            sentAt.put(id, scheduler.elapsed().toNanos());
            ids.add(id);
            recipients.add(dst);
            scheduler.runFor(Duration.ofMillis(200));
        }
        scheduler.runUntil(() -> ids.stream().allMatch(id -> statuses.get(id) == DeliveryStatus.DELIVERED), maxWait);
        int delivered = 0;
        int acked = 0;
        double latency = 0;
        for (int k = 0; k < ids.size(); k++) {
            String id = ids.get(k);
            int dst = recipients.get(k);
            List<Reception> rs = receptions.getOrDefault(id, List.of());
            Reception r = rs.stream().filter(x -> x.node == dst).findFirst().orElse(null);
            if (r != null) {
                delivered++;
                latency += (r.atNanos - sentAt.get(id)) / 1e6;
            }
            if (statuses.get(id) == DeliveryStatus.DELIVERED || statuses.get(id) == DeliveryStatus.READ) {
                acked++;
            }
        }
        double tx = network.transmissions(MessageType.NOISE_HANDSHAKE.code())
                + network.transmissions(MessageType.NOISE_ENCRYPTED.code())
                + network.transmissions(MessageType.FRAGMENT.code());
        return new PrivateResult(count, (double) delivered / count, (double) acked / count, tx / count,
                delivered == 0 ? 0 : latency / delivered);
    }

    /**
     * Splits the mesh at x = 0.5, sends private messages from left to right nodes and public messages
     * from left nodes, waits {@code splitFor}, restores the links and runs until every private message
     * is delivered or {@code maxAfterHeal} passed.
     */
    public PartitionResult partitionAndHeal(int privateCount, int publicCount, Duration splitFor, Duration maxAfterHeal) {
        List<int[]> cut = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (int j : graph.neighbors(i)) {
                if (j > i && left(i) != left(j)) {
                    cut.add(new int[] {i, j});
                    network.disconnect(name(i), name(j));
                }
            }
        }
        List<Integer> leftNodes = new ArrayList<>();
        List<Integer> rightNodes = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            (left(i) ? leftNodes : rightNodes).add(i);
        }
        scheduler.runFor(Duration.ofSeconds(1));
        List<String> privateIds = new ArrayList<>();
        List<Integer> privateDst = new ArrayList<>();
        for (int k = 0; k < privateCount; k++) {
            int src;
            int dst;
            int attempts = 0;
            do {
                src = leftNodes.get(random.nextInt(leftNodes.size()));
                dst = rightNodes.get(random.nextInt(rightNodes.size()));
            } while (!withinReach(src, dst) && ++attempts < 10_000);
            String id = nodes.get(src).sendMessage(MessageConfig.text(nodes.get(dst).peerId(), "stored " + k));
            privateIds.add(id);
            privateDst.add(dst);
        }
        List<String> publicIds = new ArrayList<>();
        for (int k = 0; k < publicCount; k++) {
            int src = leftNodes.get(random.nextInt(leftNodes.size()));
            publicIds.add(nodes.get(src).sendMessage(MessageConfig.publicText("while split " + k)));
        }
        scheduler.runFor(splitFor);
        int privateWhileSplit = countPrivate(privateIds, privateDst);
        int publicWhileSplit = countPublic(publicIds, rightNodes);
        long healAt = scheduler.elapsed().toNanos();
        for (int[] e : cut) {
            network.connect(name(e[0]), name(e[1]), link);
        }
        scheduler.runUntil(() -> countPrivate(privateIds, privateDst) == privateIds.size(), maxAfterHeal);
        long lastDelivery = healAt;
        for (int k = 0; k < privateIds.size(); k++) {
            int dst = privateDst.get(k);
            for (Reception r : receptions.getOrDefault(privateIds.get(k), List.of())) {
                if (r.node == dst) {
                    lastDelivery = Math.max(lastDelivery, r.atNanos);
                }
            }
        }
        scheduler.runFor(Duration.ofSeconds(15)); // let public floods finish on the right side
        int privateAfter = countPrivate(privateIds, privateDst);
        int publicAfter = countPublic(publicIds, rightNodes);
        return new PartitionResult(privateIds.size(), privateWhileSplit, privateAfter, (lastDelivery - healAt) / 1e9,
                publicIds.size(), publicWhileSplit,
                publicIds.isEmpty() ? 0 : (double) publicAfter / ((long) publicIds.size() * rightNodes.size()));
    }

    private int countPrivate(List<String> ids, List<Integer> dst) {
        int n = 0;
        for (int k = 0; k < ids.size(); k++) {
            int d = dst.get(k);
            if (receptions.getOrDefault(ids.get(k), List.of()).stream().anyMatch(r -> r.node == d)) {
                n++;
            }
        }
        return n;
    }

    private int countPublic(List<String> ids, List<Integer> among) {
        Set<Integer> set = new HashSet<>(among);
        int n = 0;
        for (String id : ids) {
            n += (int) receptions.getOrDefault(id, List.of()).stream().map(Reception::node).filter(set::contains)
                    .distinct().count();
        }
        return n;
    }

    private boolean withinReach(int a, int b) {
        int d = graph.hopDistances(a)[b];
        return d > 0 && d <= spec.ttl() + 1;
    }

    private boolean left(int i) {
        return graph.x(i) < 0.5;
    }

    private static String name(int i) {
        return String.format("n%03d", i);
    }

    @Override
    public void close() {
        for (BitChatCla n : nodes) {
            n.close();
        }
        scheduler.close();
    }
}
