package org.aivillage.config.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aivillage.config.LoggingConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
    @TempDir Path dir;
    private final Logger log = LoggerFactory.getLogger("village.test");

    @AfterEach
    void restore() {
        LoggingSetup.configureConsole(LoggingConfig.Level.INFO, LoggingSetup.Console.STDERR);
    }

    @Test
    void levelAndTextFormatWithKeyValues() throws Exception {
        Path file = dir.resolve("logs/village.log");
        LoggingSetup.configure(new LoggingConfig(LoggingConfig.Level.WARN, Optional.of(file), 1, 2, false),
                LoggingSetup.Console.STDERR);
        log.info("not logged at warn");
        log.atWarn().setMessage("peer refused").addKeyValue("event", "peer_refused").addKeyValue("peer", "p1").log();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("WARN").contains("village.test").contains("peer refused")
                .contains("event=\"peer_refused\"").contains("peer=\"p1\"");
    }

    @Test
    void jsonLines() throws Exception {
        Path file = dir.resolve("village.json");
        LoggingSetup.configure(new LoggingConfig(LoggingConfig.Level.DEBUG, Optional.of(file), 1, 2, true),
                LoggingSetup.Console.STDERR);
        log.debug("hello {}", "world");
        log.atInfo().setMessage("started").addKeyValue("event", "daemon_start").log();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        assertThat(lines.get(0)).contains("\"level\":\"DEBUG\"").contains("\"formattedMessage\":\"hello world\"");
        assertThat(lines.get(1)).contains("\"event\":\"daemon_start\"");
    }

    @Test
    void rotatesBySizeAndKeepsAtMostMaxFiles() throws Exception {
        Path file = dir.resolve("rot.log");
        int maxFiles = 2;
        LoggingSetup.configure(new LoggingConfig(LoggingConfig.Level.INFO, Optional.of(file), 1, maxFiles, false),
                LoggingSetup.Console.STDERR);
        String payload = "x".repeat(1000);
        // Write in batches until rotation has filled the window and gone past it (logback checks the
        // size at most every 250 ms, so this waits for time to pass; bounded by a deadline).
        Path third = dir.resolve("rot.log." + maxFiles);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        int rotationsSeen = 0;
        long lastSize = 0;
        while (rotationsSeen < maxFiles + 2 && System.nanoTime() < deadline) {
            for (int i = 0; i < 200; i++) {
                log.info("{} {}", i, payload);
            }
            long size = Files.size(file);
            if (size < lastSize) {
                rotationsSeen++;
            }
            lastSize = size;
            Thread.sleep(20);
        }
        assertThat(rotationsSeen).isEqualTo(maxFiles + 2);
        assertThat(file).exists();
        assertThat(dir.resolve("rot.log.1")).exists();
        assertThat(third).exists();
        assertThat(dir.resolve("rot.log." + (maxFiles + 1))).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1 + maxFiles);
        }
        assertThat(Files.size(dir.resolve("rot.log.1"))).isGreaterThan(1_000_000L).isLessThan(3_000_000L);
    }
}
