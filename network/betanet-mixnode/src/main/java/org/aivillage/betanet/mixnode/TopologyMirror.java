package org.aivillage.betanet.mixnode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's public topology mirror: an HTTP listener answering only {@code GET /topology} with the
 * signed topology document the node holds, so that clients can bootstrap from known mixnodes
 * ({@link TopologySource.Mirrors}, the seed's {@code mixnodeEndpoints}) instead of the directory.
 * The document is signed by the directory authority and verified by every reader, so a mirror can
 * withhold it or serve an old one (refused when stale) but never forge or alter it. Kept apart from
 * the admin endpoint, whose metrics must stay private. Every other path is 404, other methods 405,
 * request bodies are never read; one virtual thread per exchange.
 */
public final class TopologyMirror implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopologyMirror.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Supplier<Optional<byte[]>> document;

    /** Serves {@code document} (empty: 503, no topology yet) on {@code bind}. */
    public TopologyMirror(InetSocketAddress bind, Supplier<Optional<byte[]>> document) throws IOException {
        this.document = document;
        server = HttpServer.create(bind, 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("topology mirror on {}", server.getAddress());
    }

    /** Mirrors what {@code node} holds. */
    public static TopologyMirror of(Mixnode node, InetSocketAddress bind) throws IOException {
        return new TopologyMirror(bind, node::topologyDocument);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/topology")) {
                send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.US_ASCII));
            } else if (!ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET");
                send(ex, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                Optional<byte[]> doc = document.get();
                if (doc.isEmpty()) {
                    send(ex, 503, "text/plain", "no topology yet\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    send(ex, 200, "application/octet-stream", doc.get());
                }
            }
        } catch (IOException e) {
            log.debug("topology mirror request failed: {}", e.toString());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
