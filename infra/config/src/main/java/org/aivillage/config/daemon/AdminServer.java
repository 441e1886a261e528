package org.aivillage.config.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint every daemon serves (JDK HTTP server, one virtual thread per exchange):
 *
 * <ul>
 *   <li>{@code GET /health}: 200 and {@code {"status":"up",...}} while the process is alive;
 *   <li>{@code GET /ready}: 200 when every {@link Readiness} check passes, else 503 naming the
 *       failing checks;
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4 (absent when metrics are disabled).
 * </ul>
 *
 * Other paths get 404, other methods 405. Request bodies are never read. Bind it to a private
 * address: it has no authentication.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final String daemon;
    private final Readiness readiness;
    private final Optional<DaemonMetrics> metrics;
    private final Instant started = Instant.now();

    private AdminServer(HttpServer server, ExecutorService executor, String daemon, Readiness readiness,
            Optional<DaemonMetrics> metrics) {
        this.server = server;
        this.executor = executor;
        this.daemon = daemon;
        this.readiness = readiness;
        this.metrics = metrics;
    }

    /**
     * Binds and starts serving.
     *
     * @param bind address and port (port 0 = any free port, see {@link #address()})
     * @param metrics the registry to scrape, or empty to serve no {@code /metrics}
     * @throws UserException when the address cannot be bound (in use, not local, ...)
     */
    public static AdminServer start(String daemon, InetSocketAddress bind, Readiness readiness,
            Optional<DaemonMetrics> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(bind, 64);
        } catch (IOException e) {
            throw new UserException("cannot serve the admin endpoint on " + bind.getHostString() + ":"
                    + bind.getPort() + ": " + e.getMessage());
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        AdminServer admin = new AdminServer(server, executor, daemon, readiness, metrics);
        server.setExecutor(executor);
        server.createContext("/", admin::handle);
        server.start();
        log.atInfo().setMessage("admin endpoint listening").addKeyValue("event", "admin_start")
                .addKeyValue("daemon", daemon).addKeyValue("address", admin.describeAddress()).log();
        return admin;
    }

    /** Binds to {@code [performance] admin_bind:admin_port}, serving metrics if {@code metrics_enabled}. */
    public static AdminServer start(String daemon, PerformanceConfig config, Readiness readiness, DaemonMetrics metrics) {
        return start(daemon, new InetSocketAddress(config.adminBind(), config.adminPort()), readiness,
                config.metricsEnabled() ? Optional.of(metrics) : Optional.empty());
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private String describeAddress() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/health") || path.equals("/ready")
                    || (path.equals("/metrics") && metrics.isPresent());
            if (!known) {
                send(exchange, 404, "application/json", "{\"error\":\"not found\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "application/json", "{\"error\":\"method not allowed\"}");
                return;
            }
            switch (path) {
                case "/health" -> send(exchange, 200, "application/json",
                        "{\"status\":\"up\",\"daemon\":" + json(daemon) + ",\"uptime_seconds\":"
                                + Duration.between(started, Instant.now()).toSeconds() + "}");
                case "/ready" -> {
                    List<String> failing = readiness.failing();
                    if (failing.isEmpty()) {
                        send(exchange, 200, "application/json", "{\"status\":\"ready\"}");
                    } else {
                        send(exchange, 503, "application/json", "{\"status\":\"not_ready\",\"failing\":["
                                + String.join(",", failing.stream().map(AdminServer::json).toList()) + "]}");
                    }
                }
                default -> send(exchange, 200, DaemonMetrics.CONTENT_TYPE, metrics.orElseThrow().scrape());
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("admin request failed: {}", e.toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Stops accepting, lets running exchanges finish for up to a second, stops the executor. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        log.atInfo().setMessage("admin endpoint stopped").addKeyValue("event", "admin_stop")
                .addKeyValue("daemon", daemon).log();
    }
}
