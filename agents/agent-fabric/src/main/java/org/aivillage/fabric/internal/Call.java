package org.aivillage.fabric.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.FabricException;

/** One attempt of a request to a local replica: completes with the response or a {@link FabricException}. */
public final class Call extends CompletableFuture<AgentResponse> implements Reply {
    private final int attempt;

    public Call(int attempt) {
        this.attempt = attempt;
    }

    @Override
    public void ok(Replica replica, JsonNode content) {
        complete(new AgentResponse(replica.agentId(), replica.replica(), replica.nodeId(), content, attempt));
    }

    @Override
    public void error(FabricException.Code code, String message) {
        completeExceptionally(new FabricException(code, message));
    }

    @Override
    public boolean abandoned() {
        return isDone();
    }
}
