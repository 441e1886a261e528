package org.aivillage.fabric;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A message to an agent.
 *
 * @param to the agent
 * @param from who sends it (free-form: an agent id, a user, a tool name), at most 256 characters
 * @param content the JSON payload; in embedded mode the same object reaches the handler, so
 *     senders must not modify it afterwards
 */
public record AgentMessage(AgentId to, String from, JsonNode content) {
    public AgentMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(content, "content");
        if (from.length() > 256) {
            throw new IllegalArgumentException("from must be at most 256 characters, got " + from.length());
        }
    }
}
