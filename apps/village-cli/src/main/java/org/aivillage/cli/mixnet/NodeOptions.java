package org.aivillage.cli.mixnet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.MixnodeConfig;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.betanet.mixnode.TopologySource;
import org.aivillage.config.BetanetConfig;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.UserException;
import picocli.CommandLine.Option;

/** Options shared by the mixnode and gateway daemons (picocli mixin). */
final class NodeOptions {
    @Option(names = "--identity", required = true, paramLabel = "FILE",
            description = "Ed25519 identity key file (created when missing).")
    Path identity;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Link listener (default: [network.betanet] listen_address:listen_port).")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", description = "Address published in the topology (default: the listener's).")
    String advertise;

    @Option(names = "--directory", required = true, paramLabel = "URL", description = "Directory authority base URL.")
    URI directory;

    @Option(names = "--authority", required = true, paramLabel = "HEX", description = "The directory authority's Ed25519 public key.")
    String authority;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the node keeps its database.")
    Path dataDir;

    @Option(names = "--as-group", defaultValue = "0", description = "AS group published for path diversity.")
    int asGroup;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "Admin endpoint port (default: [performance] admin_port).")
    Integer adminPort;

    @Option(names = "--mirror-listen", paramLabel = "HOST:PORT",
            description = "Also serve the signed topology on this public HTTP listener (GET /topology), so that clients "
                    + "can bootstrap from this node ('village client send --mixnodes'); default: off.")
    String mirrorListen;

    @Option(names = "--key-epoch", defaultValue = "3600", paramLabel = "SECONDS", description = "Sphinx key epoch length.")
    long keyEpochSeconds;

    @Option(names = "--topology-refresh", defaultValue = "30", paramLabel = "SECONDS", description = "Topology refresh and re-registration period.")
    long refreshSeconds;

    @Option(names = "--loop-rate", paramLabel = "PER_SECOND", description = "Loop cover packets per second (default 0.5 with cover traffic on).")
    Double loopRate;

    @Option(names = "--drop-rate", paramLabel = "PER_SECOND", description = "Drop cover packets per second (default 0.5 with cover traffic on).")
    Double dropRate;

    static InetSocketAddress parseEndpoint(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new UserException("expected HOST:PORT, got '" + s + "'");
        }
        try {
            return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new UserException("expected HOST:PORT, got '" + s + "'");
        }
    }

    /** Starts the topology mirror when {@code --mirror-listen} was given; the runtime closes it. */
    void startMirror(org.aivillage.config.daemon.DaemonRuntime rt, org.aivillage.betanet.mixnode.Mixnode node) {
        if (mirrorListen == null) {
            return;
        }
        InetSocketAddress bind = parseEndpoint(mirrorListen);
        try {
            rt.register(org.aivillage.betanet.mixnode.TopologyMirror.of(node, bind));
        } catch (java.io.IOException e) {
            throw new UserException("cannot serve the topology mirror on " + mirrorListen + ": " + e.getMessage());
        }
    }

    PerformanceConfig performance(PerformanceConfig base) {
        return adminPort == null ? base
                : new PerformanceConfig(base.adminBind(), adminPort, base.workerThreads(), base.metricsEnabled());
    }

    MixnodeConfig.Builder builder(KeyPair id, BetanetConfig betanet, PerformanceConfig perf, TopologyNode.Role role, int layer) {
        InetSocketAddress bind = listen != null ? parseEndpoint(listen)
                : new InetSocketAddress(betanet.listenAddress(), betanet.listenPort());
        double loops = loopRate != null ? loopRate : betanet.coverTraffic() ? 0.5 : 0;
        double drops = dropRate != null ? dropRate : betanet.coverTraffic() ? 0.5 : 0;
        return MixnodeConfig.builder(id).role(role).layer(layer).asGroup(asGroup).listen(bind).advertisedAddress(advertise)
                .dataDir(dataDir).topologySource(new TopologySource.Directory(directory))
                .authorityKey(KeyFiles.parsePublicKey(authority)).keyEpochLength(Duration.ofSeconds(keyEpochSeconds))
                .keyOverlap(Duration.ofSeconds(Math.max(1, keyEpochSeconds / 6)))
                .topologyRefresh(Duration.ofSeconds(refreshSeconds)).processingThreads(perf.effectiveWorkerThreads())
                .cover(loops, drops, betanet.mixingDelay());
    }
}
