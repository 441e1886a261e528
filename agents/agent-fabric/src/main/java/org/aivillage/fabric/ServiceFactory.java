package org.aivillage.fabric;

/** Creates the handler of one replica. */
@FunctionalInterface
public interface ServiceFactory {
    AgentHandler create();
}
