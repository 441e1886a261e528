package org.aivillage.config.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.aivillage.config.LoggingConfig;
import org.aivillage.config.PerformanceConfig;

/**
 * A tiny daemon for {@link DaemonRuntimeTest}: starts a runtime on an ephemeral admin port,
 * registers two resources that append to a marker file when closed, prints "READY port" and
 * waits for SIGTERM. Logs JSON lines to the file given as the second argument.
 */
public final class DaemonChild {
    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        LoggingSetup.configure(new LoggingConfig(LoggingConfig.Level.INFO, Optional.of(Path.of(args[1])), 1, 2, true),
                LoggingSetup.Console.STDERR);
        try (DaemonRuntime rt = DaemonRuntime.start("child", new PerformanceConfig("127.0.0.1", 0, 0, true),
                Duration.ofSeconds(5))) {
            rt.register(() -> append(marker, "first-registered-closed"));
            rt.register(() -> append(marker, "second-registered-closed"));
            rt.readiness().register("warm", () -> true);
            System.out.println("READY " + rt.admin().port());
            System.out.flush();
            rt.awaitShutdown();
        }
    }

    private static void append(Path marker, String line) throws Exception {
        Files.writeString(marker, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private DaemonChild() {}
}
