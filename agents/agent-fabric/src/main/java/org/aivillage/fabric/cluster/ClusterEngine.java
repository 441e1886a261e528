package org.aivillage.fabric.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.NodeStatus;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.ResourceLimits;
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.cluster.Protocol.Deliver;
import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.Ensure;
import org.aivillage.fabric.cluster.Protocol.Err;
import org.aivillage.fabric.cluster.Protocol.GetStatus;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.Ok;
import org.aivillage.fabric.cluster.Protocol.ReplicaCommand;
import org.aivillage.fabric.cluster.Protocol.ReplicaLocation;
import org.aivillage.fabric.cluster.Protocol.ReplicaReply;
import org.aivillage.fabric.cluster.Protocol.ReplicaStatusDto;
import org.aivillage.fabric.cluster.Protocol.Retire;
import org.aivillage.fabric.cluster.Protocol.ServiceDto;
import org.aivillage.fabric.internal.FabricEngine;
import org.aivillage.fabric.internal.Glob;
import org.aivillage.fabric.internal.LocalHost;
import org.aivillage.fabric.internal.Placement;
import org.aivillage.fabric.internal.Requests;
import org.aivillage.fabric.internal.ServiceRegistry;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric as one node of an Apache Pekko cluster. Each replica is a Cluster Sharding entity
 * ({@code agentId#index}, one entity per shard) placed by {@link FabricAllocationStrategy}; the
 * registry (deployments, node offers, replica locations) lives in Distributed Data LWW maps;
 * messages travel as Jackson CBOR over Artery TLS. Requests go to replicas on live nodes; when a
 * node becomes unreachable its in-flight requests fail over at once (retried by policy) and the
 * keeper wakes its replicas so that sharding re-places them after the split-brain resolver has
 * downed the node.
 */
public final class ClusterEngine implements FabricEngine, ReplicaEntity.Host {
    private static final Logger log = LoggerFactory.getLogger(ClusterEngine.class);
    static final EntityTypeKey<ReplicaCommand> TYPE = EntityTypeKey.create(ReplicaCommand.class, "fabric-replica");
    private static final Duration REGISTRY_WRITE = Duration.ofSeconds(3);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LOST_STATUS_TIMEOUT = Duration.ofMillis(500);
    private static final Duration KEEPER_INTERVAL = Duration.ofMillis(250);
    private static final int MAX_CURSORS = 100_000;
    /** How long the first seed node tries to join the other seeds before it may form a new cluster. */
    static final Duration FIRST_SEED_GRACE = Duration.ofSeconds(10);

    private record InFlight(CompletableFuture<AgentResponse> future, String address, String replicaKey) {
    }

    private final AgentConfig config;
    private final LocalHost host;
    private final ClusterView view = new ClusterView();
    private final ConcurrentHashMap<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile ActorSystem<Void> system;
    private volatile ClusterSharding sharding;
    private volatile ActorRef<Replicator.Command> replicator;
    private volatile SelfUniqueAddress selfUnique;
    private volatile String selfAddress;
    private volatile long selfUid;
    private volatile boolean running;

    public ClusterEngine(AgentConfig config) {
        this.config = config;
        this.host = new LocalHost(config.nodeId(), config.resourceLimits(), config.maxAgents(), config.mailboxCapacity());
    }

    @Override
    public synchronized void start() {
        ActorSystem<Void> sys = ActorSystem.create(Behaviors.empty(), PekkoSettings.SYSTEM_NAME, PekkoSettings.build(config));
        system = sys;
        Cluster cluster = Cluster.get(sys);
        Address self = cluster.selfMember().address();
        selfAddress = ClusterView.addressKey(self);
        selfUid = cluster.selfMember().uniqueAddress().longUid();
        selfUnique = DistributedData.get(sys).selfUniqueAddress();
        replicator = DistributedData.get(sys).replicator();
        sharding = ClusterSharding.get(sys);
        sharding.init(Entity.of(TYPE, ctx -> ReplicaEntity.create(ctx.getEntityId(), this))
                .withMessageExtractor(new OneShardPerEntity())
                .withAllocationStrategy(new FabricAllocationStrategy(view, self))
                .withStopMessage(new Retire(0))
                .withRole("fabric"));
        sys.systemActorOf(Watcher.create(view, KEEPER_INTERVAL, this::nodeLost, this::wake, this::cleanLocations),
                "fabric-watcher", Props.empty());
        publishNode();
        join(sys, cluster, self);
        sys.getWhenTerminated().whenComplete((done, error) -> {
            running = false;
            failAllInFlight("node " + config.nodeId() + " left the cluster");
            terminated.complete(null);
            log.atInfo().setMessage("fabric node stopped").addKeyValue("event", "fabric_node_stopped")
                    .addKeyValue("node", config.nodeId()).log();
        });
        running = true;
        log.atInfo().setMessage("fabric node started").addKeyValue("event", "fabric_node_started")
                .addKeyValue("node", config.nodeId()).addKeyValue("address", selfAddress)
                .addKeyValue("seeds", String.join(",", config.clusterEndpoints())).log();
    }

    /**
     * Joins the seed nodes. Pekko lets the first seed node form a new cluster when no other seed
     * answers within seed-node-timeout; a first seed that restarts while the others are slow to
     * answer (TLS handshakes on a loaded machine) would then found a second, separate cluster.
     * So the first seed first tries only the other seeds for {@link #FIRST_SEED_GRACE}, and only
     * then is allowed to form a cluster of its own. Other nodes join any seed, retrying forever.
     */
    private void join(ActorSystem<Void> sys, Cluster cluster, Address self) {
        List<Address> seeds = PekkoSettings.seedUris(config).stream().map(AddressFromURIString::parse).toList();
        List<Address> others = seeds.stream().filter(a -> !a.equals(self)).toList();
        if (seeds.isEmpty() || !seeds.get(0).equals(self) || others.isEmpty()) {
            cluster.manager().tell(new JoinSeedNodes(seeds));
            return;
        }
        cluster.manager().tell(new JoinSeedNodes(others));
        sys.scheduler().scheduleOnce(FIRST_SEED_GRACE, () -> {
            boolean joined = false;
            for (Member m : cluster.state().getMembers()) {
                joined |= m.address().equals(self);
            }
            if (!joined && running) {
                log.atWarn().setMessage("no other seed node answered; forming a new cluster")
                        .addKeyValue("event", "cluster_self_join").addKeyValue("node", config.nodeId())
                        .addKeyValue("waited_ms", FIRST_SEED_GRACE.toMillis()).log();
                cluster.manager().tell(new JoinSeedNodes(seeds));
            }
        }, sys.executionContext());
    }

    /** Completes when the node has left the cluster (stopped, or downed by the split-brain resolver). */
    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Whether this node is an Up member of the cluster. */
    @Override
    public boolean ready() {
        return running && view.selfUp;
    }

    /** The cluster address this node advertises, {@code host:port}. */
    public String address() {
        return selfAddress;
    }

    // ---- ReplicaEntity.Host

    @Override
    public ClusterView view() {
        return view;
    }

    @Override
    public LocalHost localHost() {
        return host;
    }


    @Override
    public void publishLocation(String replicaKey) {
        ReplicaLocation loc = new ReplicaLocation(selfAddress, selfUid, config.nodeId());
        updateAsync(Keys.LOCATIONS, Replicator.writeLocal(), m -> m.put(selfUnique, replicaKey, loc));
    }

    @Override
    public void removeLocation(String replicaKey) {
        updateAsync(Keys.LOCATIONS, Replicator.writeLocal(), m -> m.remove(selfUnique, replicaKey));
    }

    // ---- registry writes

    private <V> CompletionStage<Replicator.UpdateResponse<LWWMap<String, V>>> updateAsync(Key<LWWMap<String, V>> key,
            Replicator.WriteConsistency consistency, Function<LWWMap<String, V>, LWWMap<String, V>> modify) {
        return AskPattern.<Replicator.Command, Replicator.UpdateResponse<LWWMap<String, V>>>ask(replicator,
                replyTo -> new Replicator.Update<>(key, LWWMap.create(), consistency, replyTo, modify::apply),
                REGISTRY_WRITE.plusSeconds(2), system.scheduler());
    }

    /** A majority write; a majority timeout is logged (the write is local and spreads by gossip). */
    private <V> void updateMajority(Key<LWWMap<String, V>> key, Function<LWWMap<String, V>, LWWMap<String, V>> modify,
            String what) {
        Replicator.UpdateResponse<LWWMap<String, V>> response;
        try {
            response = updateAsync(key, new Replicator.WriteMajority(REGISTRY_WRITE), modify).toCompletableFuture()
                    .get(REGISTRY_WRITE.plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FabricException(FabricException.Code.UNAVAILABLE, "interrupted while " + what);
        } catch (ExecutionException | TimeoutException e) {
            throw new FabricException(FabricException.Code.UNAVAILABLE, "registry write failed while " + what + ": " + e);
        }
        if (response instanceof Replicator.UpdateTimeout<?>) {
            log.atWarn().setMessage("registry write reached no majority in time; it spreads by gossip")
                    .addKeyValue("event", "registry_write_timeout").addKeyValue("what", what).log();
        } else if (!(response instanceof Replicator.UpdateSuccess<?>)) {
            throw new FabricException(FabricException.Code.UNAVAILABLE, "registry write failed while " + what + ": "
                    + response);
        }
    }

    private void publishNode() {
        List<ServiceDto> services = host.services().definitions().stream().map(ServiceDto::of).toList();
        ResourceLimits l = config.resourceLimits();
        NodeRecord record = new NodeRecord(config.nodeId(), selfAddress, selfUid, l.cpuCores(), l.memoryMb(),
                config.maxAgents(), services);
        updateAsync(Keys.NODES, Replicator.writeLocal(), m -> m.put(selfUnique, selfAddress, record));
    }

    // ---- FabricEngine

    @Override
    public void registerService(ServiceBinding binding) {
        host.services().register(binding);
        if (system != null) {
            publishNode();
        }
    }

    private Collection<ServiceDefinition> knownServices() {
        Map<String, ServiceDefinition> byKey = new LinkedHashMap<>();
        for (ServiceDefinition d : host.services().definitions()) {
            byKey.put(d.key(), d);
        }
        for (NodeRecord n : view.nodes.values()) {
            if (!view.members.containsKey(n.address())) {
                continue;
            }
            for (ServiceDto s : n.services()) {
                byKey.putIfAbsent(s.name() + "@" + s.version(), s.toDefinition());
            }
        }
        return byKey.values();
    }

    @Override
    public List<ServiceDefinition> discoverServices(Glob glob) {
        return knownServices().stream().filter(d -> glob.matches(d.name(), d.version()))
                .sorted(ServiceRegistry.ORDER).toList();
    }

    /** Reserved cpu, memory and replica count per node address, from live locations else deploy-time placement. */
    private Map<String, double[]> usage() {
        Map<String, double[]> usage = new HashMap<>();
        Map<String, ReplicaLocation> locations = view.locations;
        for (DeploymentRecord d : view.allDeployments().values()) {
            for (int i = 0; i < d.replicas(); i++) {
                ReplicaLocation loc = locations.get(d.agentId() + "#" + i);
                String node = view.live(loc) ? loc.address() : i < d.placement().size() ? d.placement().get(i) : null;
                if (node == null) {
                    continue;
                }
                double[] u = usage.computeIfAbsent(node, k -> new double[3]);
                u[0] += d.definition().cpuCores();
                u[1] += d.definition().memoryMb();
                u[2] += 1;
            }
        }
        return usage;
    }

    private List<Placement.NodeCapacity> capacities() {
        Map<String, double[]> usage = usage();
        List<Placement.NodeCapacity> out = new ArrayList<>();
        for (NodeRecord n : view.nodes.values()) {
            if (!view.alive(n.address()) || view.members.get(n.address()) != n.uid()) {
                continue;
            }
            double[] u = usage.getOrDefault(n.address(), new double[3]);
            Set<String> services = new HashSet<>();
            for (ServiceDto s : n.services()) {
                services.add(s.name() + "@" + s.version());
            }
            if (n.address().equals(selfAddress)) {
                for (ServiceDefinition d : host.services().definitions()) {
                    services.add(d.key());
                }
            }
            out.add(new Placement.NodeCapacity(n.address(), n.cpuCores(), n.memoryMb(), n.maxAgents(), u[0],
                    (long) u[1], (int) u[2], services));
        }
        return out;
    }

    @Override
    public synchronized AgentId deployAgent(AgentSpec spec) {
        requireUp();
        ServiceDefinition service = ServiceRegistry.resolve(knownServices(), spec.serviceName(), spec.serviceVersion());
        List<String> placement = Placement.place(capacities(), service, spec.replicas(), spec.placementStrategy(),
                selfAddress, spec.name());
        AgentId id = AgentId.newId(spec.name());
        DeploymentRecord record = DeploymentRecord.of(id, spec, service, placement);
        view.localAdd(record);
        try {
            updateMajority(Keys.DEPLOYMENTS, m -> m.put(selfUnique, id.value(), record), "deploying " + id);
        } catch (FabricException e) {
            view.localRemove(id.value());
            throw e;
        }
        for (int i = 0; i < spec.replicas(); i++) {
            entity(id.value() + "#" + i).tell(new Ensure(System.currentTimeMillis()));
        }
        log.atInfo().setMessage("agent deployed").addKeyValue("event", "agent_deployed").addKeyValue("agent", id)
                .addKeyValue("service", service.key()).addKeyValue("placement", String.join(",", placement)).log();
        return id;
    }

    private EntityRef<ReplicaCommand> entity(String replicaKey) {
        return sharding.entityRefFor(TYPE, replicaKey);
    }

    private DeploymentRecord deployment(AgentId id) {
        return view.deployment(id.value()).orElseThrow(() -> new FabricException(FabricException.Code.AGENT_NOT_FOUND,
                "no agent " + id + " is deployed"));
    }

    @Override
    public AgentStatus getAgentStatus(AgentId id) {
        requireRunning();
        DeploymentRecord d = deployment(id);
        List<CompletableFuture<ReplicaStatus>> futures = new ArrayList<>();
        Map<String, ReplicaLocation> locations = view.locations;
        for (int i = 0; i < d.replicas(); i++) {
            int index = i;
            String key = d.agentId() + "#" + i;
            ReplicaLocation loc = locations.get(key);
            Optional<String> node = Optional.ofNullable(loc).map(ReplicaLocation::nodeId);
            if (loc != null && !view.live(loc)) {
                // The recorded node is lost: the replica may already run elsewhere (its new location
                // not yet replicated here), so ask briefly, else report it as being re-placed.
                ReplicaStatus lost = new ReplicaStatus(i, node, AgentState.FAILING, 0, 0, 0, 0,
                        Optional.of("node " + loc.nodeId() + " (" + loc.address() + ") is unreachable or gone; re-placing"));
                futures.add(entity(key).<ReplicaStatusDto>ask(GetStatus::new, LOST_STATUS_TIMEOUT).toCompletableFuture()
                        .thenApply(ReplicaStatusDto::toStatus)
                        .thenApply(s -> s.node().equals(node) ? lost : s)
                        .exceptionally(t -> lost));
                continue;
            }
            futures.add(entity(key).<ReplicaStatusDto>ask(GetStatus::new, STATUS_TIMEOUT).toCompletableFuture()
                    .thenApply(ReplicaStatusDto::toStatus)
                    .exceptionally(t -> new ReplicaStatus(index, node, AgentState.PENDING, 0, 0, 0, 0,
                            Optional.of("no status answer within " + STATUS_TIMEOUT.toMillis() + " ms"))));
        }
        List<ReplicaStatus> replicas = futures.stream().map(CompletableFuture::join).toList();
        return new AgentStatus(id, d.spec(), d.definition().toDefinition(), AgentStatus.overall(replicas), replicas);
    }

    @Override
    public List<AgentId> listAgents() {
        return view.allDeployments().keySet().stream().sorted().map(AgentId::new).toList();
    }

    @Override
    public RetryPolicy retryPolicy(AgentId id) {
        return deployment(id).retryPolicy();
    }

    /**
     * Round robin over the replicas not known to be on a lost node (a replica whose location has
     * not replicated here yet counts as available), skipping {@code avoid}; any replica when none is.
     */
    private int pickReplica(DeploymentRecord d, int avoid) {
        int n = d.replicas();
        if (cursors.size() > MAX_CURSORS) {
            cursors.clear();
        }
        int start = cursors.computeIfAbsent(d.agentId(), k -> new AtomicInteger()).getAndIncrement();
        Map<String, ReplicaLocation> locations = view.locations;
        for (int k = 0; k < n; k++) {
            int i = Math.floorMod(start + k, n);
            if (i == avoid && n > 1) {
                continue;
            }
            ReplicaLocation loc = locations.get(d.agentId() + "#" + i);
            if (loc == null || view.live(loc)) {
                return i;
            }
        }
        int i = Math.floorMod(start, n);
        return i == avoid && n > 1 ? (i + 1) % n : i;
    }

    @Override
    public AgentResponse sendMessage(AgentMessage message, Duration timeout, RetryPolicy policy) {
        requireRunning();
        return Requests.call(message, timeout, policy, (attempt, avoid, attemptTimeout) -> {
            requireRunning();
            DeploymentRecord d = deployment(message.to());
            int i = pickReplica(d, avoid);
            String key = d.agentId() + "#" + i;
            ReplicaLocation loc = view.locations.get(key);
            long requestId = requestIds.incrementAndGet();
            CompletableFuture<AgentResponse> f = new CompletableFuture<>();
            if (view.live(loc)) {
                inFlight.put(requestId, new InFlight(f, loc.address(), key));
                f.whenComplete((r, t) -> inFlight.remove(requestId));
            }
            entity(key).<ReplicaReply>ask(replyTo -> new Deliver(requestId, message.from(), message.content(), replyTo),
                    attemptTimeout.plusMillis(200)).whenComplete((reply, error) -> {
                        if (error != null) {
                            f.completeExceptionally(new FabricException(FabricException.Code.TIMEOUT, "agent "
                                    + message.to() + " replica " + i + " did not answer within "
                                    + attemptTimeout.toMillis() + " ms"));
                        } else {
                            switch (reply) {
                                case Ok ok -> f.complete(new AgentResponse(message.to(), ok.replica(), ok.nodeId(),
                                        ok.content(), attempt));
                                case Err err -> f.completeExceptionally(new FabricException(code(err.code()), err.message()));
                            }
                        }
                    });
            return new Requests.Started(f, i);
        });
    }

    private static FabricException.Code code(String name) {
        try {
            return FabricException.Code.valueOf(name);
        } catch (IllegalArgumentException e) {
            return FabricException.Code.UNAVAILABLE;
        }
    }

    @Override
    public void sendOneWay(AgentMessage message) {
        requireRunning();
        DeploymentRecord d = deployment(message.to());
        int i = pickReplica(d, -1);
        entity(d.agentId() + "#" + i).tell(new Deliver(0, message.from(), message.content(), null));
    }

    @Override
    public synchronized void undeployAgent(AgentId id) {
        requireUp();
        DeploymentRecord d = deployment(id);
        view.localRemove(id.value());
        updateMajority(Keys.DEPLOYMENTS, m -> m.remove(selfUnique, id.value()), "undeploying " + id);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < d.replicas(); i++) {
            keys.add(id.value() + "#" + i);
            entity(id.value() + "#" + i).tell(new Retire(System.currentTimeMillis()));
        }
        updateAsync(Keys.LOCATIONS, Replicator.writeLocal(), m -> {
            LWWMap<String, ReplicaLocation> out = m;
            for (String k : keys) {
                out = out.remove(selfUnique, k);
            }
            return out;
        });
        cursors.remove(id.value());
        log.atInfo().setMessage("agent undeployed").addKeyValue("event", "agent_undeployed").addKeyValue("agent", id).log();
    }

    @Override
    public List<NodeStatus> nodes() {
        Map<String, double[]> usage = usage();
        List<NodeStatus> out = new ArrayList<>();
        for (NodeRecord n : view.nodes.values()) {
            Long uid = view.members.get(n.address());
            if (uid == null || uid != n.uid()) {
                continue;
            }
            double[] u = usage.getOrDefault(n.address(), new double[3]);
            out.add(new NodeStatus(n.nodeId(), n.address(), !view.unreachable.contains(n.address()),
                    new ResourceLimits(n.cpuCores(), n.memoryMb() / 1024.0), n.maxAgents(), (int) u[2], u[0], (long) u[1],
                    n.services().stream().map(s -> s.name() + "@" + s.version()).sorted().toList()));
        }
        out.sort(Comparator.comparing(NodeStatus::nodeId));
        return out;
    }

    // ---- watcher callbacks

    private void nodeLost(String address) {
        for (InFlight f : inFlight.values()) {
            if (f.address().equals(address)) {
                f.future().completeExceptionally(new FabricException(FabricException.Code.UNAVAILABLE, "node " + address
                        + " hosting replica " + f.replicaKey() + " became unreachable"));
            }
        }
        log.atWarn().setMessage("fabric node lost").addKeyValue("event", "node_lost").addKeyValue("address", address).log();
    }

    private void wake(String replicaKey) {
        entity(replicaKey).tell(new Ensure(System.currentTimeMillis()));
    }

    /** Removes location entries this node wrote for replicas it no longer hosts of agents no longer deployed. */
    private void cleanLocations() {
        List<String> stale = new ArrayList<>();
        view.locations.forEach((key, loc) -> {
            if (!loc.address().equals(selfAddress)) {
                return;
            }
            int hash = key.lastIndexOf('#');
            String agent = key.substring(0, hash);
            if (view.deployment(agent).isEmpty()
                    && host.replica(new AgentId(agent), Integer.parseInt(key.substring(hash + 1))).isEmpty()) {
                stale.add(key);
            }
        });
        if (!stale.isEmpty()) {
            updateAsync(Keys.LOCATIONS, Replicator.writeLocal(), m -> {
                LWWMap<String, ReplicaLocation> out = m;
                for (String k : stale) {
                    out = out.remove(selfUnique, k);
                }
                return out;
            });
        }
    }

    private void failAllInFlight(String why) {
        for (InFlight f : inFlight.values()) {
            f.future().completeExceptionally(new FabricException(FabricException.Code.UNAVAILABLE, why));
        }
    }

    private void requireRunning() {
        if (!running) {
            throw new FabricException(FabricException.Code.NOT_RUNNING, "the fabric node is not running");
        }
    }

    private void requireUp() {
        requireRunning();
        if (!view.selfUp) {
            throw new FabricException(FabricException.Code.UNAVAILABLE, "node " + config.nodeId()
                    + " has not joined the cluster yet (seeds: " + String.join(", ", config.clusterEndpoints()) + ")");
        }
    }

    @Override
    public void close() {
        ActorSystem<Void> sys = system;
        running = false;
        if (sys != null) {
            sys.terminate();
            try {
                sys.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.atWarn().setMessage("actor system did not terminate in time").addKeyValue("error", e.toString()).log();
            }
        }
        failAllInFlight("node " + config.nodeId() + " stopped");
        host.close();
        terminated.complete(null);
    }

    /** One shard per replica, so that the allocation strategy places each replica on its own. */
    private static final class OneShardPerEntity
            extends ShardingMessageExtractor<ShardingEnvelope<ReplicaCommand>, ReplicaCommand> {
        @Override
        public String entityId(ShardingEnvelope<ReplicaCommand> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return entityId;
        }

        @Override
        public ReplicaCommand unwrapMessage(ShardingEnvelope<ReplicaCommand> envelope) {
            return envelope.message();
        }
    }
}
