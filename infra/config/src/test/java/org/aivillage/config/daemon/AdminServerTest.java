package org.aivillage.config.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aivillage.config.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Readiness readiness = new Readiness();
    private DaemonMetrics metrics;
    private AdminServer admin;

    @BeforeEach
    void start() {
        metrics = new DaemonMetrics("test");
        admin = AdminServer.start("test", new InetSocketAddress("127.0.0.1", 0), readiness, Optional.of(metrics));
    }

    @AfterEach
    void stop() {
        admin.close();
        metrics.close();
        http.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x".repeat(1000))
                        : HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAnswersWhileAlive() throws Exception {
        HttpResponse<String> r = request("GET", "/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).startsWith("{\"status\":\"up\",\"daemon\":\"test\",\"uptime_seconds\":");
    }

    @Test
    void readinessFlipsWithItsChecks() throws Exception {
        assertThat(request("GET", "/ready").statusCode()).isEqualTo(200);
        AtomicBoolean storeOpen = new AtomicBoolean(false);
        readiness.register("store", storeOpen::get);
        readiness.register("peers", () -> {
            throw new IllegalStateException("boom");
        });
        HttpResponse<String> r = request("GET", "/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"status\":\"not_ready\",\"failing\":[\"store\",\"peers\"]}");

        readiness.unregister("peers");
        assertThat(request("GET", "/ready").body()).contains("[\"store\"]");
        storeOpen.set(true);
        r = request("GET", "/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    @Test
    void metricsServePrometheusTextWithJvmAndOwnMeters() throws Exception {
        metrics.registry().counter("village_test_events", "kind", "demo").increment(3);
        HttpResponse<String> r = request("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body())
                .contains("# TYPE village_test_events_total counter")
                .containsPattern("village_test_events_total\\{daemon=\"test\",kind=\"demo\"} 3\\.0")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds")
                .contains("jvm_gc_");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        assertThat(request("GET", "/").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/healthz").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/health/x").statusCode()).isEqualTo(404);
        HttpResponse<String> post = request("POST", "/health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        assertThat(request("DELETE", "/ready").statusCode()).isEqualTo(405);
        // A large body is never read: the JDK server drains at most 64 KiB, then drops the connection.
        HttpRequest huge = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/health"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4 << 20])).build();
        try {
            assertThat(http.send(huge, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        } catch (java.io.IOException dropped) {
            // connection closed before the client finished sending: also a refusal
        }
        assertThat(request("GET", "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCanBeSwitchedOff() throws Exception {
        try (AdminServer noMetrics = AdminServer.start("quiet", new InetSocketAddress("127.0.0.1", 0), readiness,
                Optional.empty())) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + noMetrics.port() + "/metrics"))
                    .build();
            assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void portInUseIsAUserError() {
        assertThatThrownBy(() -> AdminServer.start("clash", new InetSocketAddress("127.0.0.1", admin.port()),
                readiness, Optional.empty()))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("cannot serve the admin endpoint on 127.0.0.1:" + admin.port());
    }
}
