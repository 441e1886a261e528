package org.aivillage.dtn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin and application-agent HTTP endpoint (bind it to loopback):
 * <ul>
 *   <li>{@code GET /health} 200 while the process runs; {@code GET /ready} 200 once the node runs, else 503;
 *   <li>{@code GET /metrics} Prometheus text (when the node's registry is a {@link PrometheusMeterRegistry});
 *   <li>{@code POST /v1/bundles?destination=EID[&ttl_ms=N][&priority=0..2][&receipt=true]} with the payload as
 *       body: sends a bundle, answers its id once it is durable (507 if the store is full);
 *   <li>{@code GET /v1/bundles/status?id=ID}: {@code state transmissions reason};
 *   <li>{@code GET /v1/endpoints/receive?endpoint=EID[&timeout_ms=N]}: the next payload (headers
 *       {@code X-Bundle-Id}, {@code X-Source}) or 204 when none arrived in time.
 * </ul>
 * Request bodies are bounded ({@link #MAX_BODY}); one virtual thread per request.
 */
public final class DtnHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtnHttpServer.class);
    public static final int MAX_BODY = 16 << 20;

    private final DtnNode node;
    private final HttpServer server;

    public DtnHttpServer(DtnNode node, String bindAddress, int port) throws IOException {
        this.node = node;
        this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", ex -> reply(ex, 200, "ok\n"));
        server.createContext("/ready", ex -> reply(ex, node.isReady() ? 200 : 503, node.isReady() ? "ready\n" : "starting\n"));
        server.createContext("/metrics", this::metrics);
        server.createContext("/v1/bundles/status", this::status);
        server.createContext("/v1/bundles", this::send);
        server.createContext("/v1/endpoints/receive", this::receive);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange ex) throws IOException {
        if (node.meters() instanceof PrometheusMeterRegistry p) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            reply(ex, 200, p.scrape());
        } else {
            reply(ex, 404, "metrics need a Prometheus registry\n");
        }
    }

    private void send(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, "POST a payload\n");
            return;
        }
        Map<String, String> q = query(ex);
        try {
            byte[] payload = readBody(ex.getRequestBody());
            EndpointId dest = EndpointId.parse(required(q, "destination"));
            Duration ttl = q.containsKey("ttl_ms") ? Duration.ofMillis(Long.parseLong(q.get("ttl_ms"))) : null;
            int priority = Integer.parseInt(q.getOrDefault("priority", "1"));
            boolean receipt = Boolean.parseBoolean(q.getOrDefault("receipt", "false"));
            BundleId id = node.sendBundle(new SendRequest(null, dest, payload, ttl, priority, receipt));
            reply(ex, 200, id.key() + "\n");
        } catch (StoreFullException e) {
            reply(ex, 507, e.getMessage() + "\n");
        } catch (IllegalArgumentException e) {
            reply(ex, 400, e.getMessage() + "\n");
        } catch (DtnException e) {
            reply(ex, 500, e.getMessage() + "\n");
        }
    }

    private void status(HttpExchange ex) throws IOException {
        try {
            BundleStatus s = node.getBundleStatus(BundleId.parseKey(required(query(ex), "id")));
            reply(ex, 200, s.state() + " " + s.transmissions() + " " + s.reason() + "\n");
        } catch (IllegalArgumentException e) {
            reply(ex, 400, e.getMessage() + "\n");
        }
    }

    private void receive(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        try {
            EndpointId ep = EndpointId.parse(required(q, "endpoint"));
            long timeout = Math.min(Long.parseLong(q.getOrDefault("timeout_ms", "0")), 300_000);
            Optional<ReceivedBundle> r = node.receiveBundle(ep, Duration.ofMillis(timeout));
            if (r.isEmpty()) {
                ex.sendResponseHeaders(204, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().set("X-Bundle-Id", r.get().id().key());
            ex.getResponseHeaders().set("X-Source", r.get().source().toString());
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, r.get().payload().length == 0 ? -1 : r.get().payload().length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(r.get().payload());
            }
        } catch (IllegalArgumentException e) {
            reply(ex, 400, e.getMessage() + "\n");
        } catch (DtnException | IllegalStateException e) {
            reply(ex, 503, e.getMessage() + "\n");
        }
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing query parameter " + name);
        }
        return v;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new IllegalArgumentException("payload larger than " + MAX_BODY + " bytes");
        }
        return b;
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        LOG.debug("DTN HTTP server closed");
    }
}
