package org.aivillage.fabric;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;


/**
 * Talks to a running fabric node's API ({@code [agents.fabric] api_bind}); what the
 * {@code village fabric} commands use. Errors come back as the node's {@link FabricException}
 * (same code and message); a node that cannot be reached gives {@code UNAVAILABLE}.
 */
public final class FabricClient {
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final FabricApiToken token;

    /**
     * @param endpoint {@code host:port} of the node's API
     * @param token the node's API token ({@link FabricNode#apiToken()}, or {@link FabricApiToken#read} of its file)
     */
    public FabricClient(String endpoint, Duration timeout, FabricApiToken token) {
        this.token = java.util.Objects.requireNonNull(token, "token");
        String[] hp = AgentConfig.parseEndpoint(endpoint);
        String host = hp[0].indexOf(':') >= 0 ? "[" + hp[0] + "]" : hp[0];
        this.base = URI.create("http://" + host + ":" + hp[1]);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public List<ServiceDefinition> services(String pattern) {
        JsonNode body = call("GET", "/v1/services?pattern=" + URLEncoder.encode(pattern, StandardCharsets.UTF_8), null,
                timeout);
        List<ServiceDefinition> out = new ArrayList<>();
        body.path("services").forEach(n -> out.add(FabricJson.service(n)));
        return out;
    }

    /** The node's id, whether it is ready, and every node it knows. */
    public record Nodes(String nodeId, boolean ready, List<NodeStatus> nodes) {
    }

    public Nodes nodes() {
        JsonNode body = call("GET", "/v1/nodes", null, timeout);
        List<NodeStatus> out = new ArrayList<>();
        body.path("nodes").forEach(n -> out.add(FabricJson.node(n)));
        return new Nodes(body.path("node_id").asText(), body.path("ready").asBoolean(), out);
    }

    public AgentId deploy(AgentSpec spec) {
        JsonNode body = call("POST", "/v1/agents", FabricJson.spec(spec), timeout);
        return FabricJson.agentId(body.path("id").asText());
    }

    public List<AgentId> agents() {
        JsonNode body = call("GET", "/v1/agents", null, timeout);
        List<AgentId> out = new ArrayList<>();
        body.path("agents").forEach(n -> out.add(FabricJson.agentId(n.asText())));
        return out;
    }

    public AgentStatus status(AgentId id) {
        return FabricJson.status(call("GET", "/v1/agents/" + id.value(), null, timeout));
    }

    /** Request/response; {@code requestTimeout} empty = the node's default. */
    public AgentResponse send(AgentId id, String from, JsonNode content, Optional<Duration> requestTimeout) {
        JsonNode req = FabricJson.sendRequest(new FabricJson.SendRequest(from, content, requestTimeout, false));
        Duration wait = requestTimeout.map(t -> t.plus(timeout)).orElse(timeout.plusSeconds(60));
        return FabricJson.response(call("POST", "/v1/agents/" + id.value() + "/messages", req, wait));
    }

    public void sendOneWay(AgentId id, String from, JsonNode content) {
        JsonNode req = FabricJson.sendRequest(new FabricJson.SendRequest(from, content, Optional.empty(), true));
        call("POST", "/v1/agents/" + id.value() + "/messages", req, timeout);
    }

    public void undeploy(AgentId id) {
        call("DELETE", "/v1/agents/" + id.value(), null, timeout);
    }

    private JsonNode call(String method, String path, JsonNode body, Duration wait) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(wait)
                .header("Accept", "application/json")
                .header("Authorization", token.authorizationHeader());
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(FabricJson.bytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new FabricException(FabricException.Code.UNAVAILABLE, "cannot reach the fabric node at " + base.getAuthority()
                    + " (is `village fabric node` running there?): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FabricException(FabricException.Code.UNAVAILABLE, "interrupted");
        }
        JsonNode json;
        try {
            json = FabricJson.parse(response.body());
        } catch (FabricException e) {
            throw new FabricException(FabricException.Code.UNAVAILABLE, "the node at " + base.getAuthority()
                    + " answered HTTP " + response.statusCode() + " with something that is not fabric JSON");
        }
        if (response.statusCode() >= 300) {
            if (json.has("error") && json.get("error").has("code")) {
                String code = json.get("error").path("code").asText();
                if (code.equals("NOT_FOUND") || code.equals("METHOD_NOT_ALLOWED")) {
                    throw new FabricException(FabricException.Code.INVALID_ARGUMENT, json.get("error").path("message").asText());
                }
                throw FabricJson.error(json);
            }
            throw new FabricException(FabricException.Code.UNAVAILABLE, "HTTP " + response.statusCode());
        }
        return json;
    }
}
