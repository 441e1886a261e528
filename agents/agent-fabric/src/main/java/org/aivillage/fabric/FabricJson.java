package org.aivillage.fabric;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON of the fabric API (snake_case). Decoders are pure functions from bytes or a tree to a
 * value and throw only {@link FabricException} with code {@code INVALID_ARGUMENT}, whose message
 * names the field (and, for malformed JSON, the line, column and byte offset).
 */
public final class FabricJson {
    /** Largest document the API reads. */
    public static final int MAX_DOCUMENT = 1 << 20;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_DOCUMENT)
                    .maxNumberLength(100).build())
            .build());

    private FabricJson() {
    }

    // ---- parsing

    /** Parses one JSON document. */
    public static JsonNode parse(byte[] bytes) {
        if (bytes.length > MAX_DOCUMENT) {
            throw invalid("document: " + bytes.length + " bytes, more than " + MAX_DOCUMENT);
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw invalid("document: empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : " at line " + l.getLineNr() + " column " + l.getColumnNr() + " (offset "
                    + l.getByteOffset() + ")";
            throw invalid("document: malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("document: unreadable: " + e.getMessage());
        } catch (RuntimeException e) {
            throw invalid("document: malformed JSON: " + e.getMessage());
        }
    }

    /** Indented JSON text, for people. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree did not serialise", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree did not serialise", e);
        }
    }

    private static FabricException invalid(String message) {
        return new FabricException(FabricException.Code.INVALID_ARGUMENT, message);
    }

    private static ObjectNode object(JsonNode n, String field) {
        if (n == null || !n.isObject()) {
            throw invalid(field + ": expected an object");
        }
        return (ObjectNode) n;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw invalid(field + ": expected a string");
        }
        return v.textValue();
    }

    private static Optional<String> optText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw invalid(field + ": expected a string");
        }
        return Optional.of(v.textValue());
    }

    private static long integer(JsonNode o, String field, long min, long max, Long def) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (def != null) {
                return def;
            }
            throw invalid(field + ": missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw invalid(field + ": expected an integer " + min + ".." + max);
        }
        return v.longValue();
    }

    private static double number(JsonNode o, String field, double min, double max) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < min
                || v.doubleValue() > max) {
            throw invalid(field + ": expected a number " + min + ".." + max);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode o, String field, boolean def) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw invalid(field + ": expected true or false");
        }
        return v.booleanValue();
    }

    private static List<String> strings(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > 1024) {
            throw invalid(field + ": expected an array of at most 1024 strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw invalid(field + "[" + i + "]: expected a string");
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private static <T extends Enum<T>> T enumValue(JsonNode o, String field, Class<T> type) {
        String s = text(o, field);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(field + ": unknown value \"" + s + "\"");
        }
    }

    /** Runs a record constructor, turning its validation error into INVALID_ARGUMENT. */
    private static <T> T build(String what, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(what + ": " + e.getMessage());
        }
    }

    // ---- ServiceDefinition

    public static ObjectNode service(ServiceDefinition d) {
        ObjectNode o = F.objectNode();
        o.put("name", d.name());
        o.put("version", d.version());
        ArrayNode eps = o.putArray("endpoints");
        d.endpoints().forEach(eps::add);
        o.put("cpu_cores", d.resourceRequirements().cpuCores());
        o.put("memory_mb", d.resourceRequirements().memoryMb());
        return o;
    }

    public static ServiceDefinition service(JsonNode n) {
        ObjectNode o = object(n, "service");
        String name = text(o, "name");
        String version = text(o, "version");
        List<String> endpoints = strings(o, "endpoints");
        double cpu = number(o, "cpu_cores", 0, 1e6);
        long mem = integer(o, "memory_mb", 0, Long.MAX_VALUE / 4, null);
        return build("service", () -> new ServiceDefinition(name, version, endpoints, new ResourceRequirements(cpu, mem)));
    }

    // ---- RetryPolicy / AgentSpec

    public static ObjectNode retry(RetryPolicy p) {
        ObjectNode o = F.objectNode();
        o.put("max_attempts", p.maxAttempts());
        o.put("initial_backoff_ms", p.initialBackoff().toMillis());
        o.put("max_backoff_ms", p.maxBackoff().toMillis());
        o.put("retry_on_timeout", p.retryOnTimeout());
        return o;
    }

    public static RetryPolicy retry(JsonNode n) {
        if (n == null || n.isNull()) {
            return RetryPolicy.DEFAULT;
        }
        ObjectNode o = object(n, "retry");
        int attempts = (int) integer(o, "max_attempts", 1, 16, (long) RetryPolicy.DEFAULT.maxAttempts());
        long initial = integer(o, "initial_backoff_ms", 0, 3_600_000, RetryPolicy.DEFAULT.initialBackoff().toMillis());
        long max = integer(o, "max_backoff_ms", 0, 3_600_000, RetryPolicy.DEFAULT.maxBackoff().toMillis());
        boolean onTimeout = bool(o, "retry_on_timeout", false);
        return build("retry", () -> new RetryPolicy(attempts, Duration.ofMillis(initial), Duration.ofMillis(max), onTimeout));
    }

    public static ObjectNode spec(AgentSpec s) {
        ObjectNode o = F.objectNode();
        o.put("name", s.name());
        o.put("service", s.service());
        o.put("replicas", s.replicas());
        o.put("placement", s.placementStrategy().name().toLowerCase(Locale.ROOT));
        o.set("retry", retry(s.retryPolicy()));
        return o;
    }

    public static AgentSpec spec(JsonNode n) {
        ObjectNode o = object(n, "spec");
        String name = text(o, "name");
        String service = text(o, "service");
        int replicas = (int) integer(o, "replicas", 1, AgentSpec.MAX_REPLICAS, 1L);
        PlacementStrategy placement = o.has("placement") ? enumValue(o, "placement", PlacementStrategy.class)
                : PlacementStrategy.BALANCED;
        RetryPolicy retry = retry(o.get("retry"));
        return build("spec", () -> new AgentSpec(name, service, replicas, placement, retry));
    }

    // ---- status

    public static ObjectNode replica(ReplicaStatus r) {
        ObjectNode o = F.objectNode();
        o.put("index", r.index());
        r.node().ifPresentOrElse(v -> o.put("node", v), () -> o.putNull("node"));
        o.put("state", r.state().name().toLowerCase(Locale.ROOT));
        o.put("processed", r.processed());
        o.put("failed", r.failed());
        o.put("rejected", r.rejected());
        o.put("queued", r.queued());
        r.lastError().ifPresentOrElse(v -> o.put("last_error", v), () -> o.putNull("last_error"));
        return o;
    }

    public static ReplicaStatus replica(JsonNode n) {
        ObjectNode o = object(n, "replica");
        return new ReplicaStatus((int) integer(o, "index", 0, AgentSpec.MAX_REPLICAS, null), optText(o, "node"),
                enumValue(o, "state", AgentState.class), integer(o, "processed", 0, Long.MAX_VALUE, 0L),
                integer(o, "failed", 0, Long.MAX_VALUE, 0L), integer(o, "rejected", 0, Long.MAX_VALUE, 0L),
                (int) integer(o, "queued", 0, Integer.MAX_VALUE, 0L), optText(o, "last_error"));
    }

    public static ObjectNode status(AgentStatus s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id().value());
        o.put("state", s.state().name().toLowerCase(Locale.ROOT));
        o.set("spec", spec(s.spec()));
        o.set("service", service(s.service()));
        ArrayNode rs = o.putArray("replicas");
        s.replicas().forEach(r -> rs.add(replica(r)));
        return o;
    }

    public static AgentStatus status(JsonNode n) {
        ObjectNode o = object(n, "status");
        AgentId id = agentId(text(o, "id"));
        AgentState state = enumValue(o, "state", AgentState.class);
        AgentSpec spec = spec(o.get("spec"));
        ServiceDefinition service = service(o.get("service"));
        JsonNode rs = o.get("replicas");
        if (rs == null || !rs.isArray() || rs.size() > AgentSpec.MAX_REPLICAS) {
            throw invalid("replicas: expected an array");
        }
        List<ReplicaStatus> replicas = new ArrayList<>();
        for (JsonNode r : rs) {
            replicas.add(replica(r));
        }
        return new AgentStatus(id, spec, service, state, replicas);
    }

    public static AgentId agentId(String s) {
        return build("agent id", () -> new AgentId(s));
    }

    // ---- nodes

    public static ObjectNode node(NodeStatus s) {
        ObjectNode o = F.objectNode();
        o.put("node_id", s.nodeId());
        o.put("address", s.address());
        o.put("reachable", s.reachable());
        o.put("cpu_cores", s.limits().cpuCores());
        o.put("memory_gb", s.limits().memoryGb());
        o.put("max_agents", s.maxAgents());
        o.put("agents", s.agents());
        o.put("cpu_reserved", s.cpuReserved());
        o.put("memory_reserved_mb", s.memoryReservedMb());
        ArrayNode sv = o.putArray("services");
        s.services().forEach(sv::add);
        return o;
    }

    public static NodeStatus node(JsonNode n) {
        ObjectNode o = object(n, "node");
        double cpu = number(o, "cpu_cores", Double.MIN_VALUE, 1e6);
        double mem = number(o, "memory_gb", Double.MIN_VALUE, 1e9);
        return new NodeStatus(text(o, "node_id"), text(o, "address"), bool(o, "reachable", true),
                build("node limits", () -> new ResourceLimits(cpu, mem)),
                (int) integer(o, "max_agents", 1, Integer.MAX_VALUE, null), (int) integer(o, "agents", 0, Integer.MAX_VALUE, 0L),
                number(o, "cpu_reserved", 0, 1e9), integer(o, "memory_reserved_mb", 0, Long.MAX_VALUE, 0L),
                strings(o, "services"));
    }

    // ---- responses

    public static ObjectNode response(AgentResponse r) {
        ObjectNode o = F.objectNode();
        o.put("agent", r.agent().value());
        o.put("replica", r.replica());
        o.put("node", r.node());
        o.put("attempts", r.attempts());
        o.set("content", r.content());
        return o;
    }

    public static AgentResponse response(JsonNode n) {
        ObjectNode o = object(n, "response");
        JsonNode content = o.get("content");
        if (content == null) {
            throw invalid("content: missing");
        }
        return new AgentResponse(agentId(text(o, "agent")), (int) integer(o, "replica", 0, AgentSpec.MAX_REPLICAS, null),
                text(o, "node"), content, (int) integer(o, "attempts", 1, 16, 1L));
    }

    /** A send request: {@code {"from":..., "content":..., "timeout_ms":..., "one_way":...}}. */
    public record SendRequest(String from, JsonNode content, Optional<Duration> timeout, boolean oneWay) {
    }

    public static ObjectNode sendRequest(SendRequest r) {
        ObjectNode o = F.objectNode();
        o.put("from", r.from());
        o.set("content", r.content());
        r.timeout().ifPresent(t -> o.put("timeout_ms", t.toMillis()));
        o.put("one_way", r.oneWay());
        return o;
    }

    public static SendRequest sendRequest(JsonNode n) {
        ObjectNode o = object(n, "message");
        String from = optText(o, "from").orElse("api");
        if (from.length() > 256) {
            throw invalid("from: at most 256 characters");
        }
        JsonNode content = o.get("content");
        if (content == null) {
            throw invalid("content: missing");
        }
        Optional<Duration> timeout = o.has("timeout_ms")
                ? Optional.of(Duration.ofMillis(integer(o, "timeout_ms", 1, 3_600_000, null))) : Optional.empty();
        return new SendRequest(from, content, timeout, bool(o, "one_way", false));
    }

    // ---- errors

    public static ObjectNode error(FabricException e) {
        ObjectNode o = F.objectNode();
        ObjectNode err = o.putObject("error");
        err.put("code", e.code().name());
        err.put("message", e.getMessage());
        return o;
    }

    public static FabricException error(JsonNode n) {
        ObjectNode o = object(object(n, "body").get("error"), "error");
        FabricException.Code code = enumValue(o, "code", FabricException.Code.class);
        return new FabricException(code, text(o, "message"));
    }
}
