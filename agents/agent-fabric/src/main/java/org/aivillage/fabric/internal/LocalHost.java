package org.aivillage.fabric.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.fabric.AgentContext;
import org.aivillage.fabric.AgentHandler;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.ResourceLimits;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.ServiceFactory;

/** The replicas this node hosts, the services it can run, and what they reserve. */
public final class LocalHost implements AutoCloseable {
    private final String nodeId;
    private final ResourceLimits limits;
    private final int maxAgents;
    private final int mailboxCapacity;
    private final ServiceRegistry services = new ServiceRegistry();
    private final ConcurrentHashMap<String, Replica> replicas = new ConcurrentHashMap<>();

    public LocalHost(String nodeId, ResourceLimits limits, int maxAgents, int mailboxCapacity) {
        this.nodeId = nodeId;
        this.limits = limits;
        this.maxAgents = maxAgents;
        this.mailboxCapacity = mailboxCapacity;
    }

    public static String key(AgentId id, int index) {
        return id.value() + "#" + index;
    }

    public String nodeId() {
        return nodeId;
    }

    public ResourceLimits limits() {
        return limits;
    }

    public int maxAgents() {
        return maxAgents;
    }

    public ServiceRegistry services() {
        return services;
    }

    /**
     * Creates and starts replica {@code index} of {@code id}, replacing (and stopping) one that
     * already runs under the same key.
     *
     * @throws FabricException SERVICE_NOT_FOUND when this node does not run the service
     */
    public Replica startReplica(AgentId id, int index, ServiceDefinition service) {
        ServiceBinding binding = services.get(service.key()).orElseThrow(() -> new FabricException(
                FabricException.Code.SERVICE_NOT_FOUND, "node " + nodeId + " does not run service " + service.key()));
        Replica replica = new Replica(id, index, nodeId, service, new LazyHandler(binding.factory()), mailboxCapacity);
        Replica previous = replicas.put(key(id, index), replica);
        if (previous != null) {
            previous.stop(Duration.ofSeconds(1));
        }
        return replica.start();
    }

    public Optional<Replica> replica(AgentId id, int index) {
        return Optional.ofNullable(replicas.get(key(id, index)));
    }

    /** Stops the replica if it is the one given (a newer one under the same key is left alone). */
    public void stopReplica(Replica replica, Duration grace) {
        replicas.remove(key(replica.agentId(), replica.replica()), replica);
        replica.stop(grace);
    }

    public int hosted() {
        return replicas.size();
    }

    /** This node as placement sees it, from the replicas it hosts now. */
    public Placement.NodeCapacity capacity(String nodeName) {
        double cpu = 0;
        long mem = 0;
        for (Replica r : replicas.values()) {
            cpu += r.service().resourceRequirements().cpuCores();
            mem += r.service().resourceRequirements().memoryMb();
        }
        Set<String> keys = new HashSet<>();
        for (ServiceDefinition d : services.definitions()) {
            keys.add(d.key());
        }
        return new Placement.NodeCapacity(nodeName, limits.cpuCores(), limits.memoryMb(), maxAgents, cpu, mem,
                replicas.size(), keys);
    }

    /** Sums over the replicas hosted now: processed, failed, rejected, queued. */
    public long[] totals() {
        long[] t = new long[4];
        for (Replica r : replicas.values()) {
            var s = r.status();
            t[0] += s.processed();
            t[1] += s.failed();
            t[2] += s.rejected();
            t[3] += s.queued();
        }
        return t;
    }

    public List<Replica> replicas() {
        return new ArrayList<>(replicas.values());
    }

    /** Stops every replica, in parallel, each within {@code grace}. */
    public void stopAll(Duration grace) {
        List<Thread> stoppers = new ArrayList<>();
        for (Replica r : replicas.values()) {
            stoppers.add(Thread.ofVirtual().start(() -> stopReplica(r, grace)));
        }
        for (Thread t : stoppers) {
            try {
                t.join(grace.plusSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopAll(Duration.ofSeconds(2));
    }

    /** Creates the handler inside the replica's start, so a throwing factory is retried like a failing onStart. */
    private static final class LazyHandler implements AgentHandler {
        private final ServiceFactory factory;
        private AgentHandler delegate;

        LazyHandler(ServiceFactory factory) {
            this.factory = factory;
        }

        @Override
        public void onStart(AgentContext context) throws Exception {
            if (delegate == null) {
                AgentHandler created = factory.create();
                if (created == null) {
                    throw new IllegalStateException("service factory returned null");
                }
                delegate = created;
            }
            delegate.onStart(context);
        }

        @Override
        public JsonNode handle(AgentContext context, AgentMessage message) throws Exception {
            return delegate.handle(context, message);
        }

        @Override
        public void onStop(AgentContext context) {
            if (delegate != null) {
                delegate.onStop(context);
            }
        }
    }
}
