package org.aivillage.fabric;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Services every {@link FabricNode} runs, for smoke tests and benchmarks:
 * <ul>
 *   <li>{@code echo@1.0.0}: answers with the message content unchanged;
 *   <li>{@code inspect@1.0.0}: answers {@code {"agent","replica","node","seen","content"}}, where
 *       {@code seen} counts messages this replica has handled (replica-local state).
 * </ul>
 */
public final class BuiltinServices implements FabricServiceProvider {
    public static final ServiceDefinition ECHO = new ServiceDefinition("echo", "1.0.0", List.of(),
            new ResourceRequirements(0.05, 16));
    public static final ServiceDefinition INSPECT = new ServiceDefinition("inspect", "1.0.0", List.of(),
            new ResourceRequirements(0.05, 16));

    @Override
    public List<ServiceBinding> services() {
        return List.of(
                new ServiceBinding(ECHO, () -> (ctx, message) -> message.content()),
                new ServiceBinding(INSPECT, () -> new AgentHandler() {
                    private long seen;

                    @Override
                    public com.fasterxml.jackson.databind.JsonNode handle(AgentContext ctx, AgentMessage message) {
                        seen++;
                        ObjectNode o = JsonNodeFactory.instance.objectNode();
                        o.put("agent", ctx.agentId().value());
                        o.put("replica", ctx.replica());
                        o.put("node", ctx.nodeId());
                        o.put("seen", seen);
                        o.set("content", message.content());
                        return o;
                    }
                }));
    }
}
