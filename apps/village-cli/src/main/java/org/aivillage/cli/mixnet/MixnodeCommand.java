package org.aivillage.cli.mixnet;

import java.util.concurrent.Callable;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.Mixnode;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code village mixnode}: run one mixnode until SIGTERM. */
@Command(name = "mixnode", mixinStandardHelpOptions = true,
        description = "Run a BetaNet mixnode (Sphinx processing, Poisson mixing, cover traffic) until stopped.")
public final class MixnodeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption configOption;

    @Mixin
    NodeOptions node;

    @Mixin
    Transports transports;

    @Option(names = "--layer", required = true, description = "Mix layer (1-based).")
    int layer;

    @Override
    public Integer call() throws Exception {
        VillageConfig config = configOption.loadForDaemon();
        PerformanceConfig perf = node.performance(config.performance());
        KeyPair id = KeyFiles.readOrCreate(node.identity);
        try (DaemonRuntime rt = DaemonRuntime.start("mixnode", perf, DaemonRuntime.DEFAULT_SHUTDOWN_TIMEOUT)) {
            // Not ready until the node exists and sees itself in a topology (registered before /ready can answer 200).
            java.util.concurrent.atomic.AtomicReference<Mixnode> ref = new java.util.concurrent.atomic.AtomicReference<>();
            rt.readiness().register("topology", () -> ref.get() != null && ref.get().isReady());
            LinkTransport transport = rt.register(transports.node(config.betanet(), node.dataDir));
            Mixnode m = rt.register(new Mixnode(node.builder(id, config.betanet(), perf, TopologyNode.Role.MIX, layer).build(),
                    transport, null, rt.metrics()));
            ref.set(m);
            node.startMirror(rt, m);
            rt.awaitShutdown();
        }
        return 0;
    }
}
