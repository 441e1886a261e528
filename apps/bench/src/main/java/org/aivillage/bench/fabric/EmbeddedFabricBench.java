package org.aivillage.bench.fabric;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.AgentFabric;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ResourceLimits;
import org.aivillage.fabric.ServiceDefinition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One embedded request/response (caller thread → replica mailbox → virtual thread → reply) with
 * an echo handler. Throughput and sampled latency (p99) per calling thread count; the
 * {@link FabricLoadDriver} measures the same path with many virtual-thread callers.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class EmbeddedFabricBench {
    @Param({"1", "4"})
    int replicas;

    AgentFabric fabric;
    AgentMessage message;

    @Setup(Level.Trial)
    public void setUp() {
        fabric = new AgentFabric(new AgentConfig("bench", List.of(), 64, new ResourceLimits(64, 64))
                .withMailboxCapacity(65_536));
        fabric.start();
        fabric.registerService(ServiceDefinition.of("echo", "1"), () -> (ctx, m) -> m.content());
        AgentId id = fabric.deployAgent(new AgentSpec("echo", "echo", replicas, PlacementStrategy.LOCAL));
        message = new AgentMessage(id, "bench", IntNode.valueOf(42));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fabric.close();
    }

    @Benchmark
    public AgentResponse requestResponse() {
        return fabric.sendMessage(message, Duration.ofSeconds(10));
    }
}
