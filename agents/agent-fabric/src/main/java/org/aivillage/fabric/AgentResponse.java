package org.aivillage.fabric;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to a request.
 *
 * @param agent the agent that answered
 * @param replica index of the replica that ran the handler (0-based)
 * @param node id of the node that hosts that replica
 * @param content the handler's JSON result
 * @param attempts how many attempts the request took (1 = no retry)
 */
public record AgentResponse(AgentId agent, int replica, String node, JsonNode content, int attempts) {
}
