package org.aivillage.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.FabricException.Code;
import org.aivillage.fabric.RetryPolicy;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private static final AgentId ID = AgentId.newId("t");
    private static final AgentMessage MSG = new AgentMessage(ID, "test", TextNode.valueOf("x"));
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), false);

    private static CompletableFuture<AgentResponse> failed(Code code) {
        return CompletableFuture.failedFuture(new FabricException(code, code.name().toLowerCase()));
    }

    private static CompletableFuture<AgentResponse> ok(int replica, int attempt) {
        return CompletableFuture.completedFuture(new AgentResponse(ID, replica, "n", TextNode.valueOf("ok"), attempt));
    }

    @Test
    void retriesRetryableErrorsOnAnotherReplica() {
        List<Integer> avoided = new ArrayList<>();
        AgentResponse r = Requests.call(MSG, Duration.ofSeconds(5), FAST, (attempt, avoid, t) -> {
            avoided.add(avoid);
            return attempt == 1 ? new Requests.Started(failed(Code.OVERLOADED), 0)
                    : attempt == 2 ? new Requests.Started(failed(Code.UNAVAILABLE), 1)
                    : new Requests.Started(ok(2, attempt), 2);
        });
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(avoided).containsExactly(-1, 0, 1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastError() {
        int[] calls = {0};
        assertThatThrownBy(() -> Requests.call(MSG, Duration.ofSeconds(5), FAST, (attempt, avoid, t) -> {
            calls[0]++;
            return new Requests.Started(failed(Code.UNAVAILABLE), 0);
        })).isInstanceOf(FabricException.class).hasMessage("unavailable (after 3 attempts)")
                .extracting(e -> ((FabricException) e).code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(calls[0]).isEqualTo(3);
    }

    @Test
    void neverRetriesHandlerErrorsOrMissingAgents() {
        for (Code code : List.of(Code.HANDLER_FAILED, Code.AGENT_NOT_FOUND, Code.INVALID_ARGUMENT)) {
            int[] calls = {0};
            assertThatThrownBy(() -> Requests.call(MSG, Duration.ofSeconds(5), FAST, (attempt, avoid, t) -> {
                calls[0]++;
                return new Requests.Started(failed(code), 0);
            })).extracting(e -> ((FabricException) e).code()).isEqualTo(code);
            assertThat(calls[0]).isEqualTo(1);
        }
        int[] calls = {0};
        assertThatThrownBy(() -> Requests.call(MSG, Duration.ofSeconds(5), FAST, (attempt, avoid, t) -> {
            calls[0]++;
            throw new FabricException(Code.AGENT_NOT_FOUND, "gone");
        })).hasMessage("gone");
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void timeoutsEndTheRequestUnlessThePolicyRetriesThem() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Requests.call(MSG, Duration.ofMillis(100), FAST,
                (attempt, avoid, t) -> new Requests.Started(new CompletableFuture<>(), 0)))
                .extracting(e -> ((FabricException) e).code()).isEqualTo(Code.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(90L, 5_000L);

        RetryPolicy onTimeout = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, true);
        List<Duration> budgets = new ArrayList<>();
        AgentResponse r = Requests.call(MSG, Duration.ofMillis(600), onTimeout, (attempt, avoid, t) -> {
            budgets.add(t);
            return new Requests.Started(attempt < 3 ? new CompletableFuture<>() : ok(1, attempt), attempt - 1);
        });
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(budgets.get(0)).isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void abandonedAttemptsAreCancelledSoReplicasSkipThem() {
        CompletableFuture<AgentResponse> pending = new Call(1);
        assertThatThrownBy(() -> Requests.call(MSG, Duration.ofMillis(20), RetryPolicy.NONE,
                (attempt, avoid, t) -> new Requests.Started(pending, 0))).isInstanceOf(FabricException.class);
        assertThat(((Call) pending).abandoned()).isTrue();
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(35), false);
        assertThat(p.backoffBefore(1)).isZero();
        assertThat(p.backoffBefore(2)).isEqualTo(Duration.ofMillis(10));
        assertThat(p.backoffBefore(3)).isEqualTo(Duration.ofMillis(20));
        assertThat(p.backoffBefore(4)).isEqualTo(Duration.ofMillis(35));
        assertThat(p.backoffBefore(6)).isEqualTo(Duration.ofMillis(35));
    }
}
