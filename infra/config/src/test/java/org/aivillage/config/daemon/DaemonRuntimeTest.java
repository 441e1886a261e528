package org.aivillage.config.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aivillage.config.PerformanceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonRuntimeTest {
    @TempDir Path dir;

    private static final PerformanceConfig EPHEMERAL = new PerformanceConfig("127.0.0.1", 0, 0, true);

    @Test
    void closesResourcesInReverseOrderOnce() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        DaemonRuntime rt = DaemonRuntime.start("order", EPHEMERAL, Duration.ofSeconds(5));
        rt.register(() -> closed.add("a"));
        rt.register(() -> {
            closed.add("b");
            throw new IllegalStateException("close failure is logged, not fatal");
        });
        rt.register(() -> closed.add("c"));
        assertThat(rt.awaitShutdown(Duration.ofMillis(1))).isFalse();
        rt.close();
        rt.close();
        assertThat(closed).containsExactly("c", "b", "a");
        assertThat(rt.awaitShutdown(Duration.ofSeconds(1))).isTrue();
        assertThat(rt.readiness().failing()).containsExactly("running");
    }

    @Test
    void aStuckResourceIsAbandonedAfterTheTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<String> closed = new CopyOnWriteArrayList<>();
        DaemonRuntime rt = DaemonRuntime.start("stuck", EPHEMERAL, Duration.ofMillis(300));
        rt.register(() -> closed.add("after-stuck"));
        rt.register(() -> never.await());
        long t0 = System.nanoTime();
        rt.close();
        assertThat(closed).containsExactly("after-stuck");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        never.countDown();
    }

    @Test
    void readyTurns503WhileStopping() throws Exception {
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DaemonRuntime rt = DaemonRuntime.start("drain", EPHEMERAL, Duration.ofSeconds(10));
        rt.register(() -> {
            closing.countDown();
            release.await(10, TimeUnit.SECONDS);
        });
        int port = rt.admin().port();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
            assertThat(http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            Thread closer = Thread.ofVirtual().start(rt::close);
            assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("running");
            release.countDown();
            closer.join(Duration.ofSeconds(10));
        }
    }

    /** A real child JVM receives SIGTERM (Process.destroy) and closes everything before exiting. */
    @Test
    void sigtermShutsAChildProcessDownCleanly() throws Exception {
        Path marker = dir.resolve("marker.txt");
        Path log = dir.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DaemonChild.class.getName(), marker.toString(), log.toString())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                HttpClient http = HttpClient.newHttpClient()) {
            String line = out.readLine();
            assertThat(line).as("child stdout; stderr: %s", readOrEmpty(dir.resolve("child.err"))).startsWith("READY ");
            int port = Integer.parseInt(line.substring(6).trim());
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks ran
        } finally {
            child.destroyForcibly();
        }
        assertThat(Files.readAllLines(marker)).containsExactly("second-registered-closed", "first-registered-closed");
        List<String> logLines = Files.readAllLines(log);
        assertThat(logLines).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        assertThat(String.join("\n", logLines))
                .contains("\"daemon_start\"")
                .contains("\"daemon_stopping\"")
                .contains("\"signal\"")
                .contains("\"daemon_stop\"");
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
