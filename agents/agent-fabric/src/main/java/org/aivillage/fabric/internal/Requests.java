package org.aivillage.fabric.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.RetryPolicy;

/** The request loop shared by both engines: attempts, per-attempt timeouts, retries by policy. */
public final class Requests {
    private Requests() {
    }

    /** Starts one attempt on some replica, avoiding {@code avoidReplica} (-1 = none) when it can. */
    @FunctionalInterface
    public interface Attempt {
        Started start(int attempt, int avoidReplica, Duration attemptTimeout);
    }

    /** An attempt in flight on replica {@code replica}. */
    public record Started(CompletableFuture<AgentResponse> future, int replica) {
    }

    /**
     * Runs a request to completion on the calling thread.
     *
     * @throws FabricException TIMEOUT when the overall timeout passes, the last retryable error once
     *     attempts are used up, or the first non-retryable error
     */
    public static AgentResponse call(AgentMessage message, Duration timeout, RetryPolicy policy, Attempt attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int avoid = -1;
        FabricException last = null;
        int made = 0;
        for (int a = 1; a <= policy.maxAttempts(); a++) {
            if (a > 1) {
                long backoff = Math.min(policy.backoffBefore(a).toNanos(), deadline - System.nanoTime());
                if (backoff > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(backoff);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new FabricException(FabricException.Code.UNAVAILABLE, "interrupted while waiting to retry");
                    }
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            long attemptNanos = policy.retryOnTimeout()
                    ? Math.max(remaining / (policy.maxAttempts() - a + 1), TimeUnit.MILLISECONDS.toNanos(1))
                    : remaining;
            Started started;
            made = a;
            try {
                started = attempt.start(a, avoid, Duration.ofNanos(attemptNanos));
            } catch (FabricException e) {
                last = e;
                if (!e.retryable(policy)) {
                    throw e;
                }
                continue;
            }
            try {
                return started.future().get(attemptNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                started.future().cancel(false);
                last = new FabricException(FabricException.Code.TIMEOUT, "agent " + message.to() + " replica "
                        + started.replica() + " did not answer within " + TimeUnit.NANOSECONDS.toMillis(attemptNanos) + " ms");
                if (!policy.retryOnTimeout()) {
                    break;
                }
                avoid = started.replica();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof FabricException fe)) {
                    throw new FabricException(FabricException.Code.UNAVAILABLE,
                            "request to agent " + message.to() + " failed: " + e.getCause(), e.getCause());
                }
                last = fe;
                if (!fe.retryable(policy)) {
                    throw fe;
                }
                avoid = started.replica();
            } catch (InterruptedException e) {
                started.future().cancel(false);
                Thread.currentThread().interrupt();
                throw new FabricException(FabricException.Code.UNAVAILABLE, "interrupted while waiting for agent "
                        + message.to());
            }
        }
        if (last == null) {
            throw new FabricException(FabricException.Code.TIMEOUT, "request to agent " + message.to()
                    + " timed out after " + timeout.toMillis() + " ms");
        }
        if (made > 1) {
            throw new FabricException(last.code(), last.getMessage() + " (after " + made + " attempts)", last);
        }
        throw last;
    }
}
