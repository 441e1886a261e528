package org.aivillage.fabric;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The code of a service. Each replica gets its own instance from the service's
 * {@link ServiceFactory} and calls it from one virtual thread, one message at a time, so an
 * implementation needs no synchronisation for its own fields. Blocking inside is fine.
 */
public interface AgentHandler {
    /** Called once before the first message; throwing marks the replica FAILING and start is retried. */
    default void onStart(AgentContext context) throws Exception {
    }

    /**
     * Handles one message and returns the response content (for one-way messages the result is
     * dropped). Throwing fails the request with {@link FabricException.Code#HANDLER_FAILED} carrying
     * the exception's message; the replica keeps running.
     */
    JsonNode handle(AgentContext context, AgentMessage message) throws Exception;

    /** Called once when the replica stops (undeploy, node shutdown). */
    default void onStop(AgentContext context) {
    }
}
