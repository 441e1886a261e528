package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtnHttpServerTest {
    @TempDir
    Path dir;

    @Test
    void healthReadyMetricsSendStatusReceive() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (DtnNode a = new DtnNode(Nodes.config("a", dir).build(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            a.start();
            try (DtnHttpServer server = new DtnHttpServer(a, "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + server.port();
                assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
                assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);
                HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/v1/bundles?destination=" + URLEncoder.encode("dtn://a/me", StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString("to myself")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(sent.statusCode()).isEqualTo(200);
                String id = sent.body().strip();
                HttpResponse<String> got = get(http, base + "/v1/endpoints/receive?endpoint="
                        + URLEncoder.encode("dtn://a/me", StandardCharsets.UTF_8) + "&timeout_ms=5000");
                assertThat(got.statusCode()).isEqualTo(200);
                assertThat(got.body()).isEqualTo("to myself");
                assertThat(got.headers().firstValue("X-Bundle-Id")).hasValue(id);
                assertThat(get(http, base + "/v1/bundles/status?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)).body())
                        .startsWith("DELIVERED");
                assertThat(get(http, base + "/v1/endpoints/receive?endpoint=dtn%3A%2F%2Fa%2Fme&timeout_ms=10").statusCode())
                        .isEqualTo(204);
                assertThat(get(http, base + "/v1/bundles?destination=nonsense").statusCode()).isEqualTo(405);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/bundles?destination=bogus"))
                        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(400);
                assertThat(get(http, base + "/metrics").body()).contains("dtn_bundles_delivered_total 1.0");
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
