package org.aivillage.cli.mixnet;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.gateway.EchoService;
import org.aivillage.betanet.gateway.Gateway;
import org.aivillage.betanet.gateway.HttpProxyService;
import org.aivillage.betanet.gateway.HttpUrlService;
import org.aivillage.betanet.gateway.TcpService;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.PerformanceConfig;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code village gateway}: run the mixnet exit with its services until SIGTERM. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run a BetaNet gateway: the mixnet exit that delivers to services and replies through SURBs.")
public final class GatewayCommand implements Callable<Integer> {
    @Mixin
    ConfigOption configOption;

    @Mixin
    NodeOptions node;

    @Mixin
    Transports transports;

    @Option(names = "--service", paramLabel = "NAME=TARGET",
            description = "A service: NAME=echo, NAME=tcp://HOST:PORT, NAME=http://URL (POST), or NAME=proxy. Default: echo=echo.")
    List<String> services = new ArrayList<>();

    @Option(names = "--proxy-allow", paramLabel = "HOST", split = ",", description = "Hosts the HTTP proxy service may reach.")
    List<String> proxyAllow = new ArrayList<>();

    @Option(names = "--service-timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Per-request service timeout.")
    long serviceTimeout;

    @Override
    public Integer call() throws Exception {
        VillageConfig config = configOption.loadForDaemon();
        PerformanceConfig perf = node.performance(config.performance());
        KeyPair id = KeyFiles.readOrCreate(node.identity);
        Duration timeout = Duration.ofSeconds(serviceTimeout);
        try (DaemonRuntime rt = DaemonRuntime.start("gateway", perf, DaemonRuntime.DEFAULT_SHUTDOWN_TIMEOUT)) {
            java.util.concurrent.atomic.AtomicReference<Gateway> ref = new java.util.concurrent.atomic.AtomicReference<>();
            rt.readiness().register("topology", () -> ref.get() != null && ref.get().node().isReady());
            LinkTransport transport = rt.register(transports.node(config.betanet(), node.dataDir));
            Gateway g = rt.register(new Gateway(node.builder(id, config.betanet(), perf, TopologyNode.Role.GATEWAY, 0).build(),
                    transport, new Gateway.Options(timeout, 64), rt.metrics()));
            node.startMirror(rt, g.node());
            if (services.isEmpty()) {
                services.add("echo=echo");
            }
            for (String s : services) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new UserException("--service takes NAME=TARGET, got '" + s + "'");
                }
                String name = s.substring(0, eq);
                String target = s.substring(eq + 1);
                if (target.equals("echo")) {
                    g.register(name, new EchoService());
                } else if (target.equals("proxy")) {
                    g.register(name, new HttpProxyService(Set.copyOf(proxyAllow), timeout));
                } else if (target.startsWith("tcp://")) {
                    g.register(name, new TcpService(NodeOptions.parseEndpoint(target.substring(6)), timeout, 1 << 20));
                } else if (target.startsWith("http://") || target.startsWith("https://")) {
                    g.register(name, new HttpUrlService(URI.create(target), timeout));
                } else {
                    throw new UserException("unknown service target '" + target + "' (echo, proxy, tcp://, http://)");
                }
            }
            ref.set(g);
            rt.awaitShutdown();
        }
        return 0;
    }
}
