package org.aivillage.config.daemon;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.VillageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every daemon process needs besides its own work: the admin endpoint (/health, /ready,
 * /metrics), a metrics registry, readiness checks, and an orderly shutdown.
 *
 * <p>Resources handed to {@link #register} are closed in reverse order of registration when the
 * process receives SIGTERM (or SIGINT, or exits normally), or when {@link #close()} is called,
 * whichever comes first; each close gets what is left of the shutdown timeout and a resource that
 * does not finish in time is abandoned with a warning so shutdown never hangs. While closing,
 * {@code /ready} answers 503 ("running" fails). Start and stop are logged as structured events
 * ({@code event=daemon_start}, {@code event=daemon_stop}).
 *
 * <pre>{@code
 * try (DaemonRuntime rt = DaemonRuntime.start("dtn", config)) {
 *     BundleStore store = rt.register(BundleStore.open(config.dtnStoragePath()));
 *     rt.readiness().register("store", store::isOpen);
 *     rt.awaitShutdown();
 * }
 * }</pre>
 */
public final class DaemonRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DaemonRuntime.class);

    /** Shutdown timeout used by {@link #start(String, VillageConfig)}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Duration shutdownTimeout;
    private final long startNanos = System.nanoTime();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Readiness readiness = new Readiness();
    private final DaemonMetrics metrics;
    private final AdminServer admin;
    private final Thread hook;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private DaemonRuntime(String name, InetSocketAddress adminBind, boolean serveMetrics, Duration shutdownTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.shutdownTimeout = shutdownTimeout;
        this.metrics = new DaemonMetrics(name);
        readiness.register("running", () -> !closing.get());
        try {
            this.admin = AdminServer.start(name, adminBind, readiness,
                    serveMetrics ? Optional.of(metrics) : Optional.empty());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        this.hook = Thread.ofPlatform().name(name + "-shutdown").unstarted(() -> shutdown("signal"));
        Runtime.getRuntime().addShutdownHook(hook);
        log.atInfo().setMessage("daemon started").addKeyValue("event", "daemon_start").addKeyValue("daemon", name)
                .addKeyValue("pid", ProcessHandle.current().pid()).addKeyValue("admin", adminBind.getHostString()
                        + ":" + admin.port()).log();
    }

    /** Starts with the admin endpoint of {@code [performance]} and the default shutdown timeout. */
    public static DaemonRuntime start(String name, VillageConfig config) {
        return start(name, config.performance(), DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * Starts the runtime: binds the admin endpoint and installs the shutdown hook.
     *
     * @throws org.aivillage.config.UserException when the admin address cannot be bound
     */
    public static DaemonRuntime start(String name, PerformanceConfig performance, Duration shutdownTimeout) {
        return new DaemonRuntime(name, new InetSocketAddress(performance.adminBind(), performance.adminPort()),
                performance.metricsEnabled(), shutdownTimeout);
    }

    /** Registers a resource to close at shutdown (last registered, first closed) and returns it. */
    public <T extends AutoCloseable> T register(T resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (resources) {
            if (closing.get()) {
                throw new IllegalStateException("daemon " + name + " is shutting down");
            }
            resources.push(resource);
        }
        return resource;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The registry served on /metrics; add the daemon's own meters here. */
    public PrometheusMeterRegistry metrics() {
        return metrics.registry();
    }

    public AdminServer admin() {
        return admin;
    }

    public String name() {
        return name;
    }

    /** Blocks until the runtime has shut down (SIGTERM or {@link #close()}). */
    public void awaitShutdown() throws InterruptedException {
        closed.await();
    }

    /** Like {@link #awaitShutdown()} with a limit; true when shut down. */
    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Shuts down (once); later and concurrent calls wait until the first has finished. */
    @Override
    public void close() {
        if (shutdown("close")) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook is running or has run.
            }
        }
    }

    /** Returns true for the caller that performed the shutdown. */
    private boolean shutdown(String reason) {
        if (!closing.compareAndSet(false, true)) {
            boolean interrupted = false;
            while (true) {
                try {
                    closed.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        log.atInfo().setMessage("daemon stopping").addKeyValue("event", "daemon_stopping").addKeyValue("daemon", name)
                .addKeyValue("reason", reason).log();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        int failures = 0;
        while (true) {
            AutoCloseable r;
            synchronized (resources) {
                r = resources.poll();
            }
            if (r == null) {
                break;
            }
            if (!closeBounded(r, deadline)) {
                failures++;
            }
        }
        if (!closeBounded(admin, deadline)) {
            failures++;
        }
        metrics.close();
        log.atInfo().setMessage("daemon stopped").addKeyValue("event", "daemon_stop").addKeyValue("daemon", name)
                .addKeyValue("reason", reason).addKeyValue("failures", failures)
                .addKeyValue("uptime_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)).log();
        closed.countDown();
        return true;
    }

    /** Closes on a virtual thread, waiting until the deadline (at least 50 ms); false on failure or timeout. */
    private boolean closeBounded(AutoCloseable resource, long deadline) {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().name(name + "-close").start(() -> {
            try {
                resource.close();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        long waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime());
        try {
            if (!t.join(Duration.ofNanos(waitNanos))) {
                log.atWarn().setMessage("resource did not close in time; abandoned").addKeyValue("event", "close_timeout")
                        .addKeyValue("daemon", name).addKeyValue("resource", resource.getClass().getName()).log();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (failure[0] != null) {
            log.atWarn().setMessage("resource failed to close").addKeyValue("event", "close_failed")
                    .addKeyValue("daemon", name).addKeyValue("resource", resource.getClass().getName())
                    .setCause(failure[0]).log();
            return false;
        }
        return true;
    }
}
