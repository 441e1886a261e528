package org.aivillage.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedFabricTest {
    private AgentFabric fabric;

    @BeforeEach
    void start() {
        fabric = new AgentFabric(new AgentConfig("node-a", List.of(), 16, new ResourceLimits(4, 2)));
        fabric.start();
        fabric.registerService(ServiceDefinition.of("echo", "1.0.0"), () -> (ctx, m) -> m.content());
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private AgentMessage msg(AgentId to, JsonNode content) {
        return new AgentMessage(to, "test", content);
    }

    @Test
    void deploysAndAnswersRequests() throws Exception {
        AgentId id = fabric.deployAgent(new AgentSpec("echoer", "echo", 1, PlacementStrategy.LOCAL));
        assertThat(id.name()).isEqualTo("echoer");
        AgentResponse r = fabric.sendMessage(msg(id, TextNode.valueOf("hello")));
        assertThat(r.content().textValue()).isEqualTo("hello");
        assertThat(r.agent()).isEqualTo(id);
        assertThat(r.node()).isEqualTo("node-a");
        assertThat(r.attempts()).isEqualTo(1);
        await(() -> fabric.getAgentStatus(id).state() == AgentState.RUNNING);
        AgentStatus s = fabric.getAgentStatus(id);
        assertThat(s.service().key()).isEqualTo("echo@1.0.0");
        assertThat(s.replicas()).singleElement().satisfies(rs -> {
            assertThat(rs.node()).contains("node-a");
            assertThat(rs.processed()).isEqualTo(1);
        });
        assertThat(fabric.listAgents()).containsExactly(id);
        assertThat(fabric.sendMessageAsync(msg(id, IntNode.valueOf(7)), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)
                .content().intValue()).isEqualTo(7);
    }

    @Test
    void discoversWithGlobsAndPicksTheHighestVersion() {
        fabric.registerService(ServiceDefinition.of("data-ingest", "1.2.0"), () -> (c, m) -> TextNode.valueOf("1.2"));
        fabric.registerService(ServiceDefinition.of("data-ingest", "1.10.0"), () -> (c, m) -> TextNode.valueOf("1.10"));
        fabric.registerService(ServiceDefinition.of("data-clean", "2.0"), () -> (c, m) -> m.content());
        fabric.registerService(ServiceDefinition.of("metadata", "1.0"), () -> (c, m) -> m.content());

        assertThat(fabric.discoverServices("data-*")).extracting(ServiceDefinition::key)
                .containsExactly("data-clean@2.0", "data-ingest@1.10.0", "data-ingest@1.2.0");
        assertThat(fabric.discoverServices("*data")).extracting(ServiceDefinition::key).containsExactly("metadata@1.0");
        assertThat(fabric.discoverServices("?cho")).extracting(ServiceDefinition::key).containsExactly("echo@1.0.0");
        assertThat(fabric.discoverServices("data-ingest@1.1*")).extracting(ServiceDefinition::key)
                .containsExactly("data-ingest@1.10.0");
        assertThat(fabric.discoverServices("nothing-*")).isEmpty();
        assertThat(fabric.discoverServices("*")).hasSize(5);
        assertThatThrownBy(() -> fabric.discoverServices("")).isInstanceOf(FabricException.class)
                .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.INVALID_ARGUMENT);

        AgentId latest = fabric.deployAgent(new AgentSpec("ing", "data-ingest", 1, PlacementStrategy.LOCAL));
        assertThat(fabric.sendMessage(msg(latest, TextNode.valueOf("x"))).content().textValue()).isEqualTo("1.10");
        AgentId pinned = fabric.deployAgent(new AgentSpec("ing", "data-ingest@1.2.0", 1, PlacementStrategy.LOCAL));
        assertThat(fabric.sendMessage(msg(pinned, TextNode.valueOf("x"))).content().textValue()).isEqualTo("1.2");
        assertThat(latest).isNotEqualTo(pinned);
    }

    @Test
    void balancesRequestsAcrossReplicasOneMessageAtATimeEach() throws Exception {
        ConcurrentHashMap<Integer, AtomicInteger> busy = new ConcurrentHashMap<>();
        AtomicInteger overlap = new AtomicInteger();
        fabric.registerService(ServiceDefinition.of("work", "1"), () -> (ctx, m) -> {
            AtomicInteger b = busy.computeIfAbsent(ctx.replica(), k -> new AtomicInteger());
            if (b.incrementAndGet() > 1) {
                overlap.incrementAndGet();
            }
            Thread.sleep(1);
            b.decrementAndGet();
            return IntNode.valueOf(ctx.replica());
        });
        AgentId id = fabric.deployAgent(new AgentSpec("w", "work", 4, PlacementStrategy.BALANCED));
        await(() -> fabric.getAgentStatus(id).state() == AgentState.RUNNING);
        // Sequential requests go round robin.
        int[] perReplica = new int[4];
        for (int i = 0; i < 40; i++) {
            perReplica[fabric.sendMessage(msg(id, IntNode.valueOf(i))).replica()]++;
        }
        assertThat(perReplica).containsExactly(10, 10, 10, 10);
        // Concurrent requests spread too, and no replica ever handles two at once.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AgentResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                fs.add(pool.submit(() -> fabric.sendMessage(msg(id, IntNode.valueOf(1)), Duration.ofSeconds(30))));
            }
            for (Future<AgentResponse> f : fs) {
                assertThat(f.get().content().intValue()).isBetween(0, 3);
            }
        }
        assertThat(overlap).hasValue(0);
        AgentStatus s = fabric.getAgentStatus(id);
        assertThat(s.processed()).isEqualTo(440);
        assertThat(s.replicas()).allSatisfy(r -> assertThat(r.processed()).isGreaterThan(40));
    }

    @Test
    void reportsLifecycleStatesAndRoutesAroundFailingReplicas() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fabric.registerService(ServiceDefinition.of("slow-start", "1"), () -> new AgentHandler() {
            @Override
            public void onStart(AgentContext ctx) throws Exception {
                release.await();
            }

            @Override
            public JsonNode handle(AgentContext ctx, AgentMessage m) {
                return m.content();
            }
        });
        AgentId slow = fabric.deployAgent(new AgentSpec("s", "slow-start", 1, PlacementStrategy.LOCAL));
        assertThat(fabric.getAgentStatus(slow).state()).isEqualTo(AgentState.STARTING);
        release.countDown();
        await(() -> fabric.getAgentStatus(slow).state() == AgentState.RUNNING);

        fabric.registerService(ServiceDefinition.of("flaky", "1"), () -> new AgentHandler() {
            @Override
            public void onStart(AgentContext ctx) {
                if (ctx.replica() == 0) {
                    throw new IllegalStateException("model file missing");
                }
            }

            @Override
            public JsonNode handle(AgentContext ctx, AgentMessage m) {
                return IntNode.valueOf(ctx.replica());
            }
        });
        AgentId flaky = fabric.deployAgent(new AgentSpec("f", "flaky", 2, PlacementStrategy.LOCAL));
        await(() -> fabric.getAgentStatus(flaky).replicas().get(1).state() == AgentState.RUNNING
                && fabric.getAgentStatus(flaky).replicas().get(0).state() == AgentState.FAILING);
        AgentStatus s = fabric.getAgentStatus(flaky);
        assertThat(s.state()).isEqualTo(AgentState.FAILING);
        assertThat(s.replicas().get(0).lastError()).hasValueSatisfying(e -> assertThat(e).contains("model file missing"));
        for (int i = 0; i < 10; i++) {
            assertThat(fabric.sendMessage(msg(flaky, IntNode.valueOf(i))).replica()).isEqualTo(1);
        }
    }

    @Test
    void timesOutRetriesByPolicyAndReportsHandlerErrors() throws Exception {
        CountDownLatch block = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        fabric.registerService(ServiceDefinition.of("blocker", "1"), () -> (ctx, m) -> {
            calls.incrementAndGet();
            if (m.content().asText().equals("block")) {
                block.await();
            }
            if (m.content().asText().equals("fail")) {
                throw new IllegalArgumentException("bad input");
            }
            return m.content();
        });
        AgentId id = fabric.deployAgent(new AgentSpec("b", "blocker", 1, PlacementStrategy.LOCAL, RetryPolicy.NONE));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fabric.sendMessage(msg(id, TextNode.valueOf("block")), Duration.ofMillis(100)))
                .isInstanceOf(FabricException.class).satisfies(e -> {
                    assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.TIMEOUT);
                    assertThat(e).hasMessageContaining(id.value());
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
        // A request that timed out while queued is skipped, not run late.
        assertThatThrownBy(() -> fabric.sendMessage(msg(id, TextNode.valueOf("late")), Duration.ofMillis(50)))
                .isInstanceOf(FabricException.class);
        block.countDown();
        assertThat(fabric.sendMessage(msg(id, TextNode.valueOf("ok"))).content().asText()).isEqualTo("ok");
        assertThat(calls).hasValue(2);

        assertThatThrownBy(() -> fabric.sendMessage(msg(id, TextNode.valueOf("fail")), Duration.ofSeconds(5),
                RetryPolicy.DEFAULT)).isInstanceOf(FabricException.class).satisfies(e -> {
                    assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.HANDLER_FAILED);
                    assertThat(e).hasMessageContaining("IllegalArgumentException: bad input");
                });
        assertThat(calls).as("handler errors are not retried").hasValue(3);
        assertThat(fabric.getAgentStatus(id).replicas().get(0).failed()).isEqualTo(1);
    }

    @Test
    void fullMailboxesRefuseAndBusyReplicasAreRoutedAround() throws Exception {
        AgentFabric small = new AgentFabric(new AgentConfig("node-b", List.of(), 8, new ResourceLimits(2, 1))
                .withMailboxCapacity(1));
        try (small) {
            small.start();
            CountDownLatch block = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            AtomicInteger holding = new AtomicInteger(); // replicas 0 (of either agent) blocked in the handler
            small.registerService(ServiceDefinition.of("gate", "1"), () -> (ctx, m) -> {
                if (ctx.replica() == 0 && m.content().asText().equals("hold")) {
                    holding.incrementAndGet();
                    entered.countDown();
                    block.await();
                }
                return IntNode.valueOf(ctx.replica());
            });
            // One replica: one message in the handler, one in the mailbox, the next is refused.
            AgentId single = small.deployAgent(new AgentSpec("one", "gate", 1, PlacementStrategy.LOCAL));
            small.sendOneWay(msg(single, TextNode.valueOf("hold")));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            small.sendOneWay(msg(single, TextNode.valueOf("queued")));
            assertThatThrownBy(() -> small.sendMessage(msg(single, TextNode.valueOf("x")), Duration.ofSeconds(5),
                    RetryPolicy.DEFAULT)).isInstanceOf(FabricException.class).satisfies(e -> {
                        assertThat(((FabricException) e).code()).isEqualTo(FabricException.Code.OVERLOADED);
                        assertThat(e).hasMessageContaining("mailbox full").hasMessageContaining("after 3 attempts");
                    });
            assertThatThrownBy(() -> small.sendOneWay(msg(single, TextNode.valueOf("x"))))
                    .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.OVERLOADED);
            assertThat(small.getAgentStatus(single).replicas().get(0).rejected()).isEqualTo(4);

            // Two replicas, replica 0 saturated: requests keep succeeding on replica 1.
            AgentId two = small.deployAgent(new AgentSpec("two", "gate", 2, PlacementStrategy.LOCAL));
            await(() -> small.getAgentStatus(two).state() == AgentState.RUNNING);
            // First get a "hold" into replica 0's handler (replica 1 answers the ones routed to it at
            // once), then one more into its mailbox. Only a message that waits behind a blocked handler
            // stays queued: a queued count seen before the replica took its first message would not.
            for (int i = 0; i < 40 && holding.get() < 2; i++) {
                small.sendOneWay(msg(two, TextNode.valueOf("hold")));
                await(() -> small.getAgentStatus(two).replicas().get(1).queued() == 0);
                await(() -> small.getAgentStatus(two).replicas().get(0).queued() == 0 || holding.get() == 2);
            }
            await(() -> holding.get() == 2);
            for (int i = 0; i < 40 && small.getAgentStatus(two).replicas().get(0).queued() < 1; i++) {
                small.sendOneWay(msg(two, TextNode.valueOf("hold")));
                await(() -> small.getAgentStatus(two).replicas().get(1).queued() == 0);
            }
            assertThat(small.getAgentStatus(two).replicas().get(0).queued()).isEqualTo(1);
            for (int i = 0; i < 6; i++) {
                assertThat(small.sendMessage(msg(two, IntNode.valueOf(i)), Duration.ofSeconds(5)).replica()).isEqualTo(1);
            }
            block.countDown();
            await(() -> small.getAgentStatus(two).replicas().get(0).queued() == 0);
        }
    }

    @Test
    void oneWayMessagesAreHandled() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        fabric.registerService(ServiceDefinition.of("sink", "1"), () -> (ctx, m) -> {
            seen.addAndGet(m.content().intValue());
            return null;
        });
        AgentId id = fabric.deployAgent(new AgentSpec("sink", "sink", 2, PlacementStrategy.LOCAL));
        for (int i = 1; i <= 10; i++) {
            fabric.sendOneWay(msg(id, IntNode.valueOf(i)));
        }
        await(() -> seen.get() == 55);
        await(() -> fabric.getAgentStatus(id).processed() == 10);
    }

    @Test
    void undeployStopsReplicasAndForgetsTheAgent() throws Exception {
        AtomicInteger stopped = new AtomicInteger();
        fabric.registerService(ServiceDefinition.of("stoppable", "1"), () -> new AgentHandler() {
            @Override
            public JsonNode handle(AgentContext ctx, AgentMessage m) {
                return m.content();
            }

            @Override
            public void onStop(AgentContext ctx) {
                stopped.incrementAndGet();
            }
        });
        AgentId id = fabric.deployAgent(new AgentSpec("st", "stoppable", 3, PlacementStrategy.LOCAL));
        fabric.sendMessage(msg(id, IntNode.valueOf(1)));
        assertThat(fabric.nodes().get(0).agents()).isEqualTo(3);
        fabric.undeployAgent(id);
        assertThat(stopped).hasValue(3);
        assertThat(fabric.listAgents()).isEmpty();
        assertThat(fabric.nodes().get(0).agents()).isZero();
        for (var call : List.<Runnable>of(() -> fabric.getAgentStatus(id), () -> fabric.sendMessage(msg(id, IntNode.valueOf(1))),
                () -> fabric.undeployAgent(id))) {
            assertThatThrownBy(call::run).isInstanceOf(FabricException.class)
                    .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.AGENT_NOT_FOUND);
        }
    }

    @Test
    void admissionControlRefusesWhatDoesNotFitAndChangesNothing() {
        fabric.registerService(new ServiceDefinition("big", "1", List.of(), new ResourceRequirements(1.5, 256)),
                () -> (c, m) -> m.content());
        fabric.registerService(new ServiceDefinition("hungry", "1", List.of(), new ResourceRequirements(0.1, 1500)),
                () -> (c, m) -> m.content());
        AgentId ok = fabric.deployAgent(new AgentSpec("big", "big", 2, PlacementStrategy.BINPACK));

        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("big2", "big", 1, PlacementStrategy.BALANCED)))
                .isInstanceOf(FabricException.class)
                .hasMessageContaining("cannot place replica 1 of 1 of agent \"big2\"")
                .hasMessageContaining("node-a: 3.00 of 4.00 cpu reserved")
                .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.PLACEMENT_FAILED);
        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("h", "hungry", 2, PlacementStrategy.LOCAL)))
                .hasMessageContaining("replica 2 of 2").hasMessageContaining("MB reserved");
        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("e", "echo", 2, PlacementStrategy.SPREAD)))
                .hasMessageContaining("with spread").hasMessageContaining("already hosts a replica of this agent");
        fabric.registerService(new ServiceDefinition("tiny", "1", List.of(), new ResourceRequirements(0, 0)),
                () -> (c, m) -> m.content());
        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("t", "tiny", 15, PlacementStrategy.BALANCED)))
                .hasMessageContaining("replica 15 of 15").hasMessageContaining("all 16 agent slots taken");
        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("x", "no-such-service", 1, PlacementStrategy.LOCAL)))
                .isInstanceOf(FabricException.class)
                .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.SERVICE_NOT_FOUND);
        assertThatThrownBy(() -> fabric.deployAgent(new AgentSpec("x", "echo@9.9", 1, PlacementStrategy.LOCAL)))
                .hasMessageContaining("echo@9.9");

        assertThat(fabric.listAgents()).containsExactly(ok);
        NodeStatus node = fabric.nodes().get(0);
        assertThat(node.agents()).isEqualTo(2);
        assertThat(node.cpuReserved()).isEqualTo(3.0);
        // After undeploying, the capacity is free again.
        fabric.undeployAgent(ok);
        assertThat(fabric.deployAgent(new AgentSpec("big2", "big", 2, PlacementStrategy.BALANCED))).isNotNull();
    }

    @Test
    void refusesWorkWhenNotRunning() {
        AgentFabric idle = new AgentFabric(AgentConfig.embedded("idle", 4));
        idle.registerService(ServiceDefinition.of("echo", "1"), () -> (c, m) -> m.content());
        assertThat(idle.ready()).isFalse();
        assertThatThrownBy(() -> idle.deployAgent(new AgentSpec("e", "echo", 1, PlacementStrategy.LOCAL)))
                .extracting(e -> ((FabricException) e).code()).isEqualTo(FabricException.Code.NOT_RUNNING);
        idle.start();
        assertThat(idle.ready()).isTrue();
        idle.stop();
        assertThat(idle.terminated()).isDone();
        assertThatThrownBy(idle::start).isInstanceOf(FabricException.class);
        assertThat(JsonNodeFactory.instance.objectNode()).isNotNull();
    }
}
