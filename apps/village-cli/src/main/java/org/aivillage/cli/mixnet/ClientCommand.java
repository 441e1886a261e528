package org.aivillage.cli.mixnet;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aivillage.betanet.client.AnonymityLevel;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.BetaNetException;
import org.aivillage.betanet.client.CircuitConfig;
import org.aivillage.betanet.client.CircuitInfo;
import org.aivillage.betanet.client.ClientConfig;
import org.aivillage.betanet.client.PrivacyMode;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.TopologySource;
import org.aivillage.config.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code village client send}: one message through the mixnet and back. */
@Command(name = "client", mixinStandardHelpOptions = true, description = "BetaNet mixnet client.",
        subcommands = ClientCommand.Send.class)
public final class ClientCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send a message through a circuit to a gateway service; print the reply and the round-trip latency.")
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TEXT", description = "The message.")
        String text;

        @Option(names = "--hops", description = "Mix hops (default: the level's: low 1, medium 2, high 3, maximum 5).")
        Integer hops;

        @Option(names = "--level", defaultValue = "high", description = "Anonymity level: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        AnonymityLevel level;

        @Option(names = "--mode", defaultValue = "balanced", description = "Privacy mode: ${COMPLETION-CANDIDATES}.")
        PrivacyMode mode;

        @Option(names = "--service", defaultValue = "echo", description = "Service at the gateway (default ${DEFAULT-VALUE}).")
        String service;

        @Option(names = "--count", defaultValue = "1", description = "Send the message this many times over the circuit.")
        int count;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Reply timeout.")
        long timeout;

        @picocli.CommandLine.Mixin
        Transports transports;

        @Option(names = "--dir", description = "Testnet state directory (default: $VILLAGE_TESTNET_DIR or ~/.village/testnet).")
        java.nio.file.Path dir;

        @Option(names = "--directory", paramLabel = "URL", description = "Directory URL (instead of a local testnet).")
        URI directory;

        @Option(names = "--mixnodes", split = ",", paramLabel = "HOST:PORT",
                description = "Mixnodes' admin endpoints that mirror the signed topology, comma-separated (instead of "
                        + "--directory; default: [network.betanet] mixnode_endpoints of the configuration file).")
        List<String> mixnodes;

        @Option(names = "--authority", paramLabel = "HEX",
                description = "Directory authority public key (with --directory or --mixnodes).")
        String authority;

        @picocli.CommandLine.Mixin
        org.aivillage.cli.config.ConfigOption configOption;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            URI dirUrl = directory;
            String auth = authority;
            List<String> mirrors = mixnodes;
            if (dirUrl == null && (mirrors == null || mirrors.isEmpty())) {
                mirrors = configOption.load().config().betanet().mixnodeEndpoints();
            }
            TopologySource source = null;
            if (dirUrl == null && mirrors != null && !mirrors.isEmpty()) {
                if (auth == null) {
                    throw new UserException("--mixnodes (or mixnode_endpoints) needs --authority");
                }
                for (String m : mirrors) {
                    if (!m.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}")) {
                        throw new UserException("--mixnodes: expected host:port (IPv6 as [addr]:port), got '" + m + "'");
                    }
                }
                source = TopologySource.Mirrors.ofEndpoints(mirrors);
            } else if (dirUrl == null) {
                java.nio.file.Path d = dir != null ? dir : Testnet.defaultDir();
                Optional<Testnet.State> s = Testnet.read(d);
                if (s.isEmpty()) {
                    throw new UserException("no testnet in " + d + ": run 'village testnet up' or pass --directory and --authority");
                }
                dirUrl = URI.create(s.get().directoryUrl());
                auth = s.get().authorityHex();
                if (transports.tlsCa == null && Files.exists(d.resolve("tls").resolve("ca.pem"))) {
                    transports.tlsCa = d.resolve("tls").resolve("ca.pem");
                }
            } else if (auth == null) {
                throw new UserException("--directory needs --authority");
            }
            if (source == null) {
                source = new TopologySource.Directory(dirUrl);
            }
            LinkTransport transport = transports.client();
            ClientConfig cfg = ClientConfig.builder(source, KeyFiles.parsePublicKey(auth), transport)
                    .privacyMode(mode).requestTimeout(Duration.ofSeconds(timeout)).sourceAsGroup(64700).build();
            try (transport; BetaNetClient client = new BetaNetClient(cfg)) {
                Result r = send(client, new CircuitConfig(hops == null ? -1 : hops, level, service, null),
                        text.getBytes(StandardCharsets.UTF_8), count);
                out.printf("circuit %s  level %s  hops %s -> gateway %s%n", r.info().id(), r.info().level(),
                        String.join(" -> ", r.info().forwardHops()), r.info().gateway());
                out.printf("reply: %s%n", new String(r.reply(), StandardCharsets.UTF_8));
                out.printf("latency: %s%n", r.describeLatency());
            } catch (BetaNetException e) {
                throw new UserException("client: " + e.getMessage());
            }
            return 0;
        }
    }

    /** What one or more sends over one circuit gave. */
    record Result(CircuitInfo info, byte[] reply, List<Double> millis) {
        double median() {
            List<Double> s = new ArrayList<>(millis);
            Collections.sort(s);
            return s.get(s.size() / 2);
        }

        String describeLatency() {
            if (millis.size() == 1) {
                return String.format("%.1f ms", millis.getFirst());
            }
            List<Double> s = new ArrayList<>(millis);
            Collections.sort(s);
            return String.format("p50 %.1f ms, min %.1f ms, max %.1f ms over %d messages", median(), s.getFirst(), s.getLast(),
                    s.size());
        }
    }

    static Result send(BetaNetClient client, CircuitConfig cc, byte[] message, int count) throws BetaNetException {
        if (!client.isConnected()) {
            client.connect();
        }
        String id = client.createCircuit(cc);
        List<Double> ms = new ArrayList<>();
        byte[] reply = null;
        for (int i = 0; i < Math.max(1, count); i++) {
            long t0 = System.nanoTime();
            reply = client.sendMessage(id, message);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        CircuitInfo info = client.circuit(id).orElseThrow();
        client.closeCircuit(id);
        return new Result(info, reply, ms);
    }
}
