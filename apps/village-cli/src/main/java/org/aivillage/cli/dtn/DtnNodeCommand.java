package org.aivillage.cli.dtn;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.aivillage.dtn.DtnHttpServer;
import org.aivillage.dtn.DtnNode;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.NodeConfig;
import org.aivillage.dtn.RoutingConfig;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code village dtn node}: runs a DTN node until interrupted (SIGINT/SIGTERM stop it cleanly). */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a DTN node (TCPCLv4, durable store,"
        + " routing, admin and application endpoint on --admin-port).")
public final class DtnNodeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "TOML file with a [network.dtn] section (node_id, storage_path,"
            + " max_storage_gb, routing_strategy, spray_copies, contact_discovery, tcpcl_port, peers, admin_port,"
            + " udp_port, bind); command-line options override it")
    Path config;

    @Option(names = "--node-id", description = "node ID, e.g. dtn://alpha/ or ipn:7.0")
    String nodeId;

    @Option(names = "--store", description = "storage directory (default ~/.village/dtn)")
    Path store;

    @Option(names = "--max-storage-gb", description = "store capacity in GB (default 1)")
    Double maxStorageGb;

    @Option(names = "--port", description = "TCPCLv4 port (default 4556, 0 = any)")
    Integer port;

    @Option(names = "--udp-port", description = "UDP convergence layer port (default off, 0 = any)")
    Integer udpPort;

    @Option(names = "--bind", description = "listen address (default 127.0.0.1)")
    String bind;

    @Option(names = "--admin-port", description = "admin + application HTTP port on 127.0.0.1 (default 4557, 0 = any)")
    Integer adminPort;

    @Option(names = "--peer", description = "TCPCL neighbour host:port to keep connected (repeatable)")
    List<String> peers = new ArrayList<>();

    @Option(names = "--routing", description = "epidemic | spray_and_wait | prophet | static (default epidemic)")
    String routing;

    @Option(names = "--copies", description = "spray-and-wait copies (default 8)")
    Long copies;

    @Option(names = "--discovery", description = "IPND-style multicast neighbour discovery", negatable = true)
    Boolean discovery;

    @Override
    public Integer call() throws Exception {
        TomlTable t = null;
        if (config != null) {
            TomlParseResult r = Toml.parse(config);
            if (r.hasErrors()) {
                System.err.println("config: " + r.errors().getFirst());
                return 2;
            }
            t = r.getTable("network.dtn");
        }
        String id = nodeId != null ? nodeId : str(t, "node_id", null);
        if (id == null) {
            System.err.println("dtn node: --node-id (or node_id in the config) is required");
            return 2;
        }
        Path dir = store != null ? store : Path.of(str(t, "storage_path",
                Path.of(System.getProperty("user.home"), ".village", "dtn").toString()));
        double gb = maxStorageGb != null ? maxStorageGb : dbl(t, "max_storage_gb", 1.0);
        long spray = copies != null ? copies : lng(t, "spray_copies", 8);
        String strategy = routing != null ? routing : str(t, "routing_strategy", "epidemic");
        List<String> allPeers = new ArrayList<>(peers);
        if (t != null && t.isArray("peers")) {
            TomlArray a = t.getArray("peers");
            for (int i = 0; i < a.size(); i++) {
                allPeers.add(a.getString(i));
            }
        }
        NodeConfig cfg = NodeConfig.builder(EndpointId.parse(id), dir).maxStorageBytes((long) (gb * (1L << 30)))
                .routing(RoutingConfig.named(strategy, spray))
                .contactDiscovery(discovery != null ? discovery : bool(t, "contact_discovery", false))
                .tcpclPort(port != null ? port : (int) lng(t, "tcpcl_port", 4556))
                .udpPort(udpPort != null ? udpPort : (int) lng(t, "udp_port", -1))
                .bindAddress(bind != null ? bind : str(t, "bind", "127.0.0.1")).peers(allPeers).build();
        Files.createDirectories(dir);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DtnNode node = new DtnNode(cfg, registry);
        node.start();
        int admin = adminPort != null ? adminPort : (int) lng(t, "admin_port", 4557);
        DtnHttpServer http = new DtnHttpServer(node, "127.0.0.1", admin);
        System.out.printf("dtn node %s: tcpcl %s, admin http://127.0.0.1:%d, routing %s, store %s%n", node.nodeId(),
                node.tcpclAddress(), http.port(), node.routing().name(), dir);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            node.stop();
            stopped.countDown();
        }, "dtn-shutdown"));
        stopped.await();
        return 0;
    }

    private static String str(TomlTable t, String k, String d) {
        return t != null && t.isString(k) ? t.getString(k) : d;
    }

    private static double dbl(TomlTable t, String k, double d) {
        return t != null && t.isDouble(k) ? t.getDouble(k) : t != null && t.isLong(k) ? t.getLong(k) : d;
    }

    private static long lng(TomlTable t, String k, long d) {
        return t != null && t.isLong(k) ? t.getLong(k) : d;
    }

    private static boolean bool(TomlTable t, String k, boolean d) {
        return t != null && t.isBoolean(k) ? t.getBoolean(k) : d;
    }
}
