package org.aivillage.fabric.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything in this JVM: no network, no serialisation; messages are handed over by reference. */
public final class EmbeddedEngine implements FabricEngine {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

    private record Deployment(AgentId id, AgentSpec spec, ServiceDefinition service, Replica[] replicas,
            AtomicInteger next) {
    }

    private final AgentConfig config;
    private final LocalHost host;
    private final ConcurrentHashMap<AgentId, Deployment> deployments = new ConcurrentHashMap<>();
    private volatile boolean running;
    private final java.util.concurrent.CompletableFuture<Void> terminated = new java.util.concurrent.CompletableFuture<>();

    public EmbeddedEngine(AgentConfig config) {
        this.config = config;
        this.host = new LocalHost(config.nodeId(), config.resourceLimits(), config.maxAgents(), config.mailboxCapacity());
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void registerService(ServiceBinding binding) {
        host.services().register(binding);
    }

    @Override
    public List<ServiceDefinition> discoverServices(Glob glob) {
        return host.services().definitions().stream().filter(d -> glob.matches(d.name(), d.version())).toList();
    }

    @Override
    public synchronized AgentId deployAgent(AgentSpec spec) {
        requireRunning();
        ServiceDefinition service = ServiceRegistry.resolve(host.services().definitions(), spec.serviceName(),
                spec.serviceVersion());
        Placement.place(List.of(host.capacity(config.nodeId())), service, spec.replicas(), spec.placementStrategy(),
                config.nodeId(), spec.name());
        AgentId id = AgentId.newId(spec.name());
        Replica[] replicas = new Replica[spec.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = host.startReplica(id, i, service);
        }
        deployments.put(id, new Deployment(id, spec, service, replicas, new AtomicInteger()));
        log.atInfo().setMessage("agent deployed").addKeyValue("event", "agent_deployed").addKeyValue("agent", id)
                .addKeyValue("service", service.key()).addKeyValue("replicas", replicas.length).log();
        return id;
    }

    private Deployment deployment(AgentId id) {
        Deployment d = deployments.get(id);
        if (d == null) {
            throw new FabricException(FabricException.Code.AGENT_NOT_FOUND, "no agent " + id + " is deployed");
        }
        return d;
    }

    @Override
    public AgentStatus getAgentStatus(AgentId id) {
        Deployment d = deployment(id);
        List<ReplicaStatus> replicas = new ArrayList<>(d.replicas().length);
        for (Replica r : d.replicas()) {
            replicas.add(r.status());
        }
        return new AgentStatus(id, d.spec(), d.service(), AgentStatus.overall(replicas), replicas);
    }

    @Override
    public List<AgentId> listAgents() {
        return deployments.keySet().stream().sorted(Comparator.comparing(AgentId::value)).toList();
    }

    @Override
    public RetryPolicy retryPolicy(AgentId id) {
        return deployment(id).spec().retryPolicy();
    }

    /** Two choices from a round-robin cursor: the running one with the shorter mailbox, not {@code avoid}. */
    private static Replica pick(Deployment d, int avoid) {
        Replica[] rs = d.replicas();
        if (rs.length == 1) {
            return rs[0];
        }
        int start = Math.floorMod(d.next().getAndIncrement(), rs.length);
        Replica a = rs[start];
        Replica b = rs[(start + 1) % rs.length];
        if (a.replica() == avoid || a.state() != AgentState.RUNNING) {
            return b;
        }
        if (b.replica() == avoid || b.state() != AgentState.RUNNING) {
            return a;
        }
        return b.queued() < a.queued() ? b : a;
    }

    @Override
    public AgentResponse sendMessage(AgentMessage message, Duration timeout, RetryPolicy policy) {
        requireRunning();
        return Requests.call(message, timeout, policy, (attempt, avoid, attemptTimeout) -> {
            Replica r = pick(deployment(message.to()), avoid);
            Call call = new Call(attempt);
            r.offer(message, call);
            return new Requests.Started(call, r.replica());
        });
    }

    @Override
    public void sendOneWay(AgentMessage message) {
        requireRunning();
        Replica r = pick(deployment(message.to()), -1);
        if (!r.offer(message, null)) {
            throw new FabricException(FabricException.Code.OVERLOADED, "agent " + message.to() + " replica "
                    + r.replica() + " did not take the message (mailbox full or stopped)");
        }
    }

    @Override
    public void undeployAgent(AgentId id) {
        Deployment d = deployments.remove(id);
        if (d == null) {
            throw new FabricException(FabricException.Code.AGENT_NOT_FOUND, "no agent " + id + " is deployed");
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Replica r : d.replicas()) {
            stoppers.add(Thread.ofVirtual().start(() -> host.stopReplica(r, Duration.ofSeconds(2))));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.atInfo().setMessage("agent undeployed").addKeyValue("event", "agent_undeployed").addKeyValue("agent", id).log();
    }

    @Override
    public List<NodeStatus> nodes() {
        Placement.NodeCapacity c = host.capacity(config.nodeId());
        return List.of(new NodeStatus(config.nodeId(), "local", true, config.resourceLimits(), config.maxAgents(),
                c.agents(), c.cpuReserved(), c.memoryReservedMb(), c.services().stream().sorted().toList()));
    }

    @Override
    public LocalHost localHost() {
        return host;
    }

    @Override
    public boolean ready() {
        return running;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void requireRunning() {
        if (!running) {
            throw new FabricException(FabricException.Code.NOT_RUNNING, "the fabric is not running (call start())");
        }
    }

    @Override
    public void close() {
        running = false;
        deployments.clear();
        host.close();
        terminated.complete(null);
    }
}
