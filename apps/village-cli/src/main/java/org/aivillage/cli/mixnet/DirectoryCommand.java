package org.aivillage.cli.mixnet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.DirectoryServer;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code village directory}: run the directory authority until SIGTERM. */
@Command(name = "directory", mixinStandardHelpOptions = true,
        description = "Run the mixnet directory authority: accepts signed node descriptors, serves the signed topology.")
public final class DirectoryCommand implements Callable<Integer> {
    @Mixin
    ConfigOption configOption;

    @Option(names = "--authority-key", required = true, paramLabel = "FILE", description = "Authority Ed25519 key file (created when missing).")
    Path authorityKey;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where /topology and /descriptor are served.")
    String listen;

    @Option(names = "--authorized", required = true, paramLabel = "FILE",
            description = "File of node identity public keys (hex, one per line) allowed to register.")
    Path authorized;

    @Option(names = "--mirror", paramLabel = "FILE", description = "Also write the signed topology to this file.")
    Path mirror;

    @Option(names = "--key-epoch", defaultValue = "3600", paramLabel = "SECONDS", description = "Sphinx key epoch length.")
    long keyEpochSeconds;

    @Option(names = "--lifetime", defaultValue = "600", paramLabel = "SECONDS", description = "How long a signed topology stays valid.")
    long lifetimeSeconds;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "Admin endpoint port (default: [performance] admin_port).")
    Integer adminPort;

    @Override
    public Integer call() throws Exception {
        VillageConfig config = configOption.loadForDaemon();
        PerformanceConfig base = config.performance();
        PerformanceConfig perf = adminPort == null ? base
                : new PerformanceConfig(base.adminBind(), adminPort, base.workerThreads(), base.metricsEnabled());
        KeyPair authority = KeyFiles.readOrCreate(authorityKey);
        Set<ByteBuffer> allowed = new HashSet<>();
        for (String line : Files.readAllLines(authorized, StandardCharsets.US_ASCII)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                allowed.add(ByteBuffer.wrap(KeyFiles.parsePublicKey(line)));
            }
        }
        try (DaemonRuntime rt = DaemonRuntime.start("directory", perf, DaemonRuntime.DEFAULT_SHUTDOWN_TIMEOUT)) {
            java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
            rt.readiness().register("listening", up::get);
            rt.register(new DirectoryServer(new DirectoryServer.Config(authority,
                    NodeOptions.parseEndpoint(listen), allowed, Duration.ofSeconds(keyEpochSeconds),
                    Duration.ofSeconds(lifetimeSeconds), mirror, Clock.systemUTC())));
            up.set(true);
            rt.awaitShutdown();
        }
        return 0;
    }
}
