package org.aivillage.cli.bitchat;

import java.net.BindException;
import java.util.concurrent.Callable;
import org.aivillage.bitchat.BitChatCla;
import org.aivillage.bitchat.BitChatListener;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.ReceivedMessage;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code village bitchat node}: a headless mesh node (relay and store-and-forward) with the admin
 * endpoint ({@code /health}, {@code /ready}, {@code /metrics}) and graceful shutdown on SIGTERM.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Run a headless BitChat relay node from [network.bitchat] (admin endpoint per [performance]).")
public final class NodeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

    @Mixin
    ConfigOption configOption;

    @Mixin
    MeshOptions mesh;

    @Override
    public Integer call() throws Exception {
        VillageConfig config = configOption.loadForDaemon();
        PeerConfig peerConfig = mesh.peerConfig(config.bitchat(), config.bitchat().listenPort());
        try (DaemonRuntime rt = DaemonRuntime.start("bitchat", config)) {
            BitChatCla node;
            try {
                node = BitChatCla.builder(peerConfig).meterRegistry(rt.metrics()).listener(new BitChatListener() {
                    @Override
                    public void onMessage(ReceivedMessage m) {
                        LOG.atInfo().setMessage("message").addKeyValue("event", "bitchat_message")
                                .addKeyValue("from", m.sender()).addKeyValue("private", m.privateMessage())
                                .addKeyValue("bytes", m.content().length).log();
                    }
                }).build();
            } catch (BindException e) {
                throw new UserException("cannot listen on " + peerConfig.bindAddress() + ":" + peerConfig.listenPort()
                        + ": " + e.getMessage());
            }
            rt.register(node);
            rt.readiness().register("transports", () -> !node.transports().isEmpty());
            if (peerConfig.discoveryEnabled() || !peerConfig.staticPeers().isEmpty()) {
                node.startDiscovery();
            }
            LOG.atInfo().setMessage("bitchat node running").addKeyValue("event", "bitchat_node_started")
                    .addKeyValue("peer_id", node.peerId()).addKeyValue("fingerprint", node.fingerprint())
                    .addKeyValue("tcp", node.tcpAddress().map(Object::toString).orElse("none")).log();
            rt.awaitShutdown();
        }
        return 0;
    }
}
