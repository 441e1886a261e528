package org.aivillage.cli.dtn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import org.aivillage.dtn.DtnHttpServer;
import org.aivillage.dtn.DtnNode;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.NodeConfig;
import org.aivillage.dtn.RoutingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code village dtn node}: runs a DTN node until SIGTERM/SIGINT. Settings come from the
 * {@code [network.dtn]} section of the configuration (see {@code village config show}); the options
 * override them. The admin endpoint ({@code /health /ready /metrics}) is the daemon runtime's
 * ({@code [performance] admin_port}); the application endpoint used by {@code dtn send|status|recv}
 * listens on {@code --agent-port}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a DTN node: TCPCLv4, durable bundle store, routing, admin and application endpoints.")
public final class DtnNodeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--node-id", description = "node ID, e.g. dtn://alpha/ or ipn:7.0 (overrides network.dtn.node_id)")
    String nodeId;

    @Option(names = "--store", description = "bundle store directory (overrides network.dtn.storage_path)")
    Path store;

    @Option(names = "--port", description = "TCPCLv4 port, 0 = any (overrides network.dtn.tcpcl_port)")
    Integer port;

    @Option(names = "--udp-port", description = "UDP convergence layer port (default off, 0 = any)")
    Integer udpPort;

    @Option(names = "--bind", description = "listen address of the convergence layers (default 127.0.0.1)")
    String bind;

    @Option(names = "--agent-port", description = "application endpoint on 127.0.0.1 for dtn send/status/recv"
            + " (default 4557, 0 = any)")
    int agentPort = 4557;

    @Option(names = "--peer", description = "TCPCL neighbour host:port to keep connected (repeatable)")
    List<String> peers = new ArrayList<>();

    @Option(names = "--routing", description = "epidemic | spray_and_wait | prophet | static (overrides"
            + " network.dtn.routing_strategy)")
    String routing;

    @Option(names = "--copies", description = "spray-and-wait copies (overrides network.dtn.spray_copies)")
    Long copies;

    @Option(names = "--bpsec-keys", description = "BPSec key file (TOML: sign, encrypt, require_integrity,"
            + " [integrity] and [confidentiality] node ID = hex key); keep it readable by this user only")
    Path bpsecKeys;

    @Option(names = "--discovery", negatable = true, description = "IPND-style multicast neighbour discovery"
            + " (overrides network.dtn.contact_discovery)")
    Boolean discovery;

    @Override
    public Integer call() throws Exception {
        VillageConfig village = configOption.loadForDaemon();
        NodeConfig base = NodeConfig.from(village);
        NodeConfig.Builder b = base.toBuilder();
        if (nodeId != null) {
            b.nodeId(EndpointId.parse(nodeId));
        }
        if (store != null) {
            b.storagePath(store);
        }
        if (routing != null || copies != null) {
            long sprayCopies = copies != null ? copies
                    : base.routing() instanceof RoutingConfig.SprayAndWait s ? s.copies() : village.dtn().sprayCopies();
            b.routing(routing != null ? RoutingConfig.named(routing, sprayCopies) : new RoutingConfig.SprayAndWait(sprayCopies));
        }
        if (port != null) {
            b.tcpclPort(port);
        }
        if (udpPort != null) {
            b.udpPort(udpPort);
        }
        if (bind != null) {
            b.bindAddress(bind);
        }
        if (discovery != null) {
            b.contactDiscovery(discovery);
        }
        b.peers(peers);
        if (bpsecKeys != null) {
            try {
                b.security(org.aivillage.dtn.BpsecConfig.load(bpsecKeys));
            } catch (IllegalArgumentException | java.io.IOException e) {
                spec.commandLine().getErr().println("dtn node: " + e.getMessage());
                return 2;
            }
        }
        NodeConfig cfg = b.build();
        Files.createDirectories(cfg.storagePath());
        try (DaemonRuntime rt = DaemonRuntime.start("dtn", village)) {
            DtnNode node = rt.register(new DtnNode(cfg, rt.metrics()));
            node.start();
            rt.readiness().register("dtn_node", node::isReady);
            DtnHttpServer agent = rt.register(new DtnHttpServer(node, "127.0.0.1", agentPort));
            spec.commandLine().getOut().printf("dtn node %s: tcpcl %s, application endpoint http://127.0.0.1:%d, admin http://%s:%d,"
                    + " routing %s, store %s%n", node.nodeId(), node.tcpclAddress(), agent.port(),
                    village.performance().adminBind(), rt.admin().port(), node.routing().name(), cfg.storagePath());
            spec.commandLine().getOut().flush();
            rt.awaitShutdown();
        }
        return 0;
    }
}
