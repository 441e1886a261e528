package org.aivillage.fabric;

import java.util.Objects;

/**
 * What to deploy.
 *
 * @param name agent name (same character set as service names); the {@link AgentId} adds a suffix
 * @param service the service to run: {@code name} (highest registered version) or {@code name@version}
 * @param replicas number of replicas, 1..1024; requests are balanced across them
 * @param placementStrategy where the replicas go
 * @param retryPolicy how requests to this agent are retried unless the caller gives its own
 */
public record AgentSpec(String name, String service, int replicas, PlacementStrategy placementStrategy,
        RetryPolicy retryPolicy) {
    public static final int MAX_REPLICAS = 1024;

    public AgentSpec {
        ServiceDefinition.requireName("agent name", name);
        Objects.requireNonNull(service, "service");
        int at = service.indexOf('@');
        ServiceDefinition.requireName("service name", at < 0 ? service : service.substring(0, at));
        if (at >= 0) {
            ServiceDefinition.requireName("service version", service.substring(at + 1));
        }
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be 1.." + MAX_REPLICAS + ", got " + replicas);
        }
        Objects.requireNonNull(placementStrategy, "placementStrategy");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    /** A spec with the {@link RetryPolicy#DEFAULT default retry policy}. */
    public AgentSpec(String name, String service, int replicas, PlacementStrategy placementStrategy) {
        this(name, service, replicas, placementStrategy, RetryPolicy.DEFAULT);
    }

    /** The service name without a version. */
    public String serviceName() {
        int at = service.indexOf('@');
        return at < 0 ? service : service.substring(0, at);
    }

    /** The version asked for, or null for the highest registered one. */
    public String serviceVersion() {
        int at = service.indexOf('@');
        return at < 0 ? null : service.substring(at + 1);
    }
}
