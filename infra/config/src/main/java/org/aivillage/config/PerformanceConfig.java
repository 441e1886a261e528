package org.aivillage.config;

/** {@code [performance]}: admin endpoint and worker pools. */
@Section(value = "performance", doc = "Admin endpoint (/health, /ready, /metrics) and worker pools.")
public record PerformanceConfig(
        @Key(doc = "Address the admin HTTP endpoint binds to (keep it private).", def = "127.0.0.1")
        @Format(Format.Kind.HOST)
        String adminBind,

        @Key(doc = "Port of the admin HTTP endpoint (0 = any free port).", def = "9180")
        @Range(min = 0, max = 65535)
        int adminPort,

        @Key(doc = "Threads for CPU-bound work such as crypto and mixing (0 = one per core).", def = "0")
        @Range(min = 0, max = 4096)
        int workerThreads,

        @Key(doc = "Serve Prometheus metrics on /metrics.", def = "true")
        boolean metricsEnabled) {

    /** {@link #workerThreads} with 0 resolved to the number of available processors. */
    public int effectiveWorkerThreads() {
        return workerThreads == 0 ? Runtime.getRuntime().availableProcessors() : workerThreads;
    }
}
