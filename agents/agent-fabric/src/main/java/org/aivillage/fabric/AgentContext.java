package org.aivillage.fabric;

/** What a handler knows about the replica running it. */
public interface AgentContext {
    AgentId agentId();

    /** Replica index, 0-based. */
    int replica();

    /** Id of the node hosting the replica. */
    String nodeId();

    /** The service definition the agent runs. */
    ServiceDefinition service();
}
