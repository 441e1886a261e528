package org.aivillage.fabric.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aivillage.fabric.AgentFabric;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.FabricApiToken;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.FabricJson;
import org.aivillage.fabric.NodeStatus;
import org.aivillage.fabric.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric API that {@code village fabric} commands talk to: a JDK HTTP server on virtual
 * threads, separate from the admin endpoint (which serves only /health, /ready, /metrics).
 * JSON in and out, errors as {@code {"error":{"code":...,"message":...}}}. Bodies are read up to
 * {@link FabricJson#MAX_DOCUMENT}. Every request must carry the node's {@link FabricApiToken}
 * ({@code Authorization: Bearer <token>}); without it the answer is 401 with code UNAUTHORIZED,
 * before any body is read.
 *
 * <pre>
 * GET    /v1/nodes                     nodes with limits and reservations
 * GET    /v1/services?pattern=GLOB     discovered services
 * GET    /v1/agents                    ids of deployed agents
 * POST   /v1/agents                    deploy (body: spec)           -> {"id": ...}
 * GET    /v1/agents/ID                 status
 * DELETE /v1/agents/ID                 undeploy
 * POST   /v1/agents/ID/messages        send (body: from, content, timeout_ms, one_way)
 * </pre>
 */
public final class FabricApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FabricApiServer.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AgentFabric fabric;
    private final FabricApiToken token;

    private FabricApiServer(HttpServer server, ExecutorService executor, AgentFabric fabric, FabricApiToken token) {
        this.server = server;
        this.executor = executor;
        this.fabric = fabric;
        this.token = java.util.Objects.requireNonNull(token, "token");
    }

    /**
     * Binds and serves requests that present {@code token}; port 0 picks a free port.
     *
     * @throws IOException when the address cannot be bound
     */
    public static FabricApiServer start(AgentFabric fabric, InetSocketAddress bind, FabricApiToken token) throws IOException {
        HttpServer server = HttpServer.create(bind, 128);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        FabricApiServer api = new FabricApiServer(server, executor, fabric, token);
        server.setExecutor(executor);
        server.createContext("/", api::handle);
        server.start();
        log.atInfo().setMessage("fabric API listening").addKeyValue("event", "fabric_api_start")
                .addKeyValue("address", server.getAddress().getHostString() + ":" + server.getAddress().getPort()).log();
        return api;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String[] parts = path.split("/");
            JsonNode body;
            int status = 200;
            try {
                if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"village fabric\"");
                    log.atDebug().setMessage("fabric API request without a valid token").addKeyValue("path", path)
                            .addKeyValue("from", String.valueOf(exchange.getRemoteAddress())).log();
                    throw new FabricException(FabricException.Code.UNAUTHORIZED,
                            "missing or wrong fabric API token (Authorization: Bearer <token>)");
                }
                if (parts.length < 3 || !parts[1].equals("v1")) {
                    throw new ApiError(404, "no such endpoint: " + path);
                }
                String resource = parts[2];
                if (resource.equals("nodes") && parts.length == 3) {
                    requireMethod(method, "GET");
                    ArrayNode a = F.arrayNode();
                    for (NodeStatus n : fabric.nodes()) {
                        a.add(FabricJson.node(n));
                    }
                    body = F.objectNode().put("node_id", fabric.nodeId()).put("ready", fabric.ready()).set("nodes", a);
                } else if (resource.equals("services") && parts.length == 3) {
                    requireMethod(method, "GET");
                    String pattern = query(exchange, "pattern", "*");
                    ArrayNode a = F.arrayNode();
                    for (ServiceDefinition d : fabric.discoverServices(pattern)) {
                        a.add(FabricJson.service(d));
                    }
                    body = F.objectNode().set("services", a);
                } else if (resource.equals("agents") && parts.length == 3) {
                    if (method.equals("GET")) {
                        ArrayNode a = F.arrayNode();
                        fabric.listAgents().forEach(id -> a.add(id.value()));
                        body = F.objectNode().set("agents", a);
                    } else {
                        requireMethod(method, "POST");
                        AgentId id = fabric.deployAgent(FabricJson.spec(FabricJson.parse(read(exchange))));
                        body = F.objectNode().put("id", id.value());
                        status = 201;
                    }
                } else if (resource.equals("agents") && parts.length == 4) {
                    AgentId id = FabricJson.agentId(decode(parts[3]));
                    if (method.equals("GET")) {
                        body = FabricJson.status(fabric.getAgentStatus(id));
                    } else {
                        requireMethod(method, "DELETE");
                        fabric.undeployAgent(id);
                        body = F.objectNode().put("undeployed", id.value());
                    }
                } else if (resource.equals("agents") && parts.length == 5 && parts[4].equals("messages")) {
                    requireMethod(method, "POST");
                    AgentId id = FabricJson.agentId(decode(parts[3]));
                    FabricJson.SendRequest req = FabricJson.sendRequest(FabricJson.parse(read(exchange)));
                    AgentMessage message = new AgentMessage(id, req.from(), req.content());
                    if (req.oneWay()) {
                        fabric.sendOneWay(message);
                        body = F.objectNode().put("queued", true);
                        status = 202;
                    } else {
                        Duration timeout = req.timeout().orElse(fabric.config().requestTimeout());
                        body = FabricJson.response(fabric.sendMessage(message, timeout));
                    }
                } else {
                    throw new ApiError(404, "no such endpoint: " + path);
                }
            } catch (ApiError e) {
                status = e.status;
                ObjectNode o = F.objectNode();
                o.putObject("error").put("code", e.status == 405 ? "METHOD_NOT_ALLOWED" : e.status == 413
                        ? "INVALID_ARGUMENT" : "NOT_FOUND").put("message", e.getMessage());
                body = o;
            } catch (FabricException e) {
                status = httpStatus(e.code());
                body = FabricJson.error(e);
            } catch (RuntimeException e) {
                log.atWarn().setMessage("fabric API request failed").addKeyValue("path", path).setCause(e).log();
                status = 500;
                body = FabricJson.error(new FabricException(FabricException.Code.UNAVAILABLE, "internal error: " + e));
            }
            byte[] bytes = FabricJson.bytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            log.debug("fabric API exchange failed: {}", e.toString());
        }
    }

    /** Maps error codes to HTTP statuses; the client maps them back through the body. */
    public static int httpStatus(FabricException.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case SERVICE_NOT_FOUND, AGENT_NOT_FOUND -> 404;
            case PLACEMENT_FAILED -> 409;
            case OVERLOADED -> 429;
            case HANDLER_FAILED -> 502;
            case UNAVAILABLE, NOT_RUNNING -> 503;
            case TIMEOUT -> 504;
            case UNAUTHORIZED -> 401;
        };
    }

    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiError(405, "method " + method + " not allowed here (use " + allowed + ")");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String query(HttpExchange exchange, String name, String def) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) {
            return def;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && decode(kv.substring(0, eq)).equals(name)) {
                return decode(kv.substring(eq + 1));
            }
        }
        return def;
    }

    private static byte[] read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(FabricJson.MAX_DOCUMENT + 1);
            if (bytes.length > FabricJson.MAX_DOCUMENT) {
                throw new ApiError(413, "body larger than " + FabricJson.MAX_DOCUMENT + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
