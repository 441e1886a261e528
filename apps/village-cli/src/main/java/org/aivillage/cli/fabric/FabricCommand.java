package org.aivillage.cli.fabric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.UserException;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentResponse;
import org.aivillage.fabric.AgentSpec;
import org.aivillage.fabric.AgentStatus;
import org.aivillage.fabric.FabricApiToken;
import org.aivillage.fabric.FabricCertificates;
import org.aivillage.fabric.FabricClient;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.FabricNode;
import org.aivillage.fabric.NodeStatus;
import org.aivillage.fabric.PlacementStrategy;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.RetryPolicy;
import org.aivillage.fabric.ServiceDefinition;
import org.aivillage.fabric.TlsSettings;
import org.aivillage.fabric.FabricJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code village fabric node|deploy|status|send|services|undeploy|certs}. */
@Command(
        name = "fabric",
        mixinStandardHelpOptions = true,
        description = {"Run an agent fabric node, or deploy, inspect and message agents on a running node.",
            "Client commands talk to the node's fabric API ([agents.fabric] api_bind, or --node HOST:PORT) with the",
            "token the node keeps in [agents.fabric] api_token_file (default <global.data_dir>/fabric-api.token)."},
        subcommands = {FabricCommand.Node.class, FabricCommand.Deploy.class, FabricCommand.Status.class,
            FabricCommand.Send.class, FabricCommand.Services.class, FabricCommand.Undeploy.class,
            FabricCommand.Certs.class})
public final class FabricCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = {"Run a fabric node until SIGTERM/SIGINT: embedded when [agents.fabric] cluster_endpoints "
                    + "is empty, otherwise a member of that cluster (TLS files required).",
                "Serves the fabric API on api_bind and /health /ready /metrics on [performance] admin_port.",
                "Exits 3 when the cluster removed this node (so a supervisor restarts it)."})
    static final class Node implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption configOption;

        @Override
        public Integer call() throws InterruptedException {
            return FabricNode.run(configOption.loadForDaemon());
        }
    }

    /** Options every client command shares. */
    static final class Target {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandSpec mixee;

        @CommandLine.Mixin
        ConfigOption configOption;

        @CommandLine.Option(names = "--token-file", paramLabel = "FILE",
                description = "The node's API token file (default: [agents.fabric] api_token_file, else "
                        + "<global.data_dir>/fabric-api.token, as the node uses).")
        Path tokenFile;

        @CommandLine.Option(names = "--node", paramLabel = "HOST:PORT",
                description = "Fabric API of the node to talk to (default: [agents.fabric] api_bind).")
        String node;

        @CommandLine.Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        FabricClient client(Duration timeout) {
            var config = configOption.load().config();
            String endpoint = node != null ? node : config.fabric().apiBind();
            Path file = CliSupport.environment(mixee).resolve(tokenFile != null ? tokenFile : FabricNode.apiTokenFile(config));
            FabricApiToken token = FabricApiToken.read(file);
            try {
                return new FabricClient(endpoint, timeout, token);
            } catch (IllegalArgumentException e) {
                throw new UserException("--node: " + e.getMessage());
            }
        }
    }

    /** Runs a client call, turning fabric errors into one-line user errors (exit 2). */
    static <T> T remote(Callable<T> c) {
        try {
            return c.call();
        } catch (FabricException e) {
            throw new UserException("fabric: " + e.code().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void printJson(PrintWriter out, JsonNode node) {
        out.println(FabricJson.pretty(node));
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy an agent; prints its id.")
    static final class Deploy implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Target target;

        @CommandLine.Parameters(index = "0", paramLabel = "SERVICE", description = "Service to run: NAME or NAME@VERSION.")
        String service;

        @CommandLine.Option(names = "--name", description = "Agent name (default: the service name).")
        String name;

        @CommandLine.Option(names = "--replicas", defaultValue = "1", description = "Replicas (default: ${DEFAULT-VALUE}).")
        int replicas;

        @CommandLine.Option(names = "--placement", defaultValue = "balanced",
                description = "local, balanced, spread or binpack (default: ${DEFAULT-VALUE}).")
        PlacementStrategy placement;

        @CommandLine.Option(names = "--max-attempts", defaultValue = "3",
                description = "Attempts per request, retries included (default: ${DEFAULT-VALUE}).")
        int maxAttempts;

        @CommandLine.Option(names = "--retry-on-timeout", description = "Also retry attempts that timed out (idempotent services).")
        boolean retryOnTimeout;

        @Override
        public Integer call() {
            String serviceName = service.contains("@") ? service.substring(0, service.indexOf('@')) : service;
            AgentSpec agentSpec;
            try {
                RetryPolicy d = RetryPolicy.DEFAULT;
                agentSpec = new AgentSpec(name == null ? serviceName : name, service, replicas, placement,
                        new RetryPolicy(maxAttempts, d.initialBackoff(), d.maxBackoff(), retryOnTimeout));
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            AgentId id = remote(() -> target.client(Duration.ofSeconds(30)).deploy(agentSpec));
            PrintWriter out = spec.commandLine().getOut();
            if (target.json) {
                printJson(out, JsonNodeFactory.instance.objectNode().put("id", id.value()));
            } else {
                out.println(id.value());
            }
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Without AGENT: the nodes and every agent with its state. With AGENT: its replicas.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Target target;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "AGENT", description = "Agent id.")
        String agent;

        @Override
        public Integer call() {
            FabricClient client = target.client(Duration.ofSeconds(15));
            PrintWriter out = spec.commandLine().getOut();
            if (agent != null) {
                AgentId id = parseId(agent);
                AgentStatus s = remote(() -> client.status(id));
                if (target.json) {
                    printJson(out, FabricJson.status(s));
                    return CliSupport.EXIT_OK;
                }
                out.printf(Locale.ROOT, "%s  %s  service %s  replicas %d  placement %s%n", s.id(),
                        s.state().name().toLowerCase(Locale.ROOT), s.service().key(), s.replicas().size(),
                        s.spec().placementStrategy().name().toLowerCase(Locale.ROOT));
                out.printf(Locale.ROOT, "%-8s %-16s %-9s %10s %8s %8s %7s  %s%n", "REPLICA", "NODE", "STATE",
                        "PROCESSED", "FAILED", "REJECTED", "QUEUED", "LAST ERROR");
                for (ReplicaStatus r : s.replicas()) {
                    out.printf(Locale.ROOT, "%-8d %-16s %-9s %10d %8d %8d %7d  %s%n", r.index(), r.node().orElse("-"),
                            r.state().name().toLowerCase(Locale.ROOT), r.processed(), r.failed(), r.rejected(),
                            r.queued(), r.lastError().orElse(""));
                }
                return CliSupport.EXIT_OK;
            }
            FabricClient.Nodes nodes = remote(client::nodes);
            List<AgentId> agents = remote(client::agents);
            if (target.json) {
                var root = JsonNodeFactory.instance.objectNode();
                root.put("node_id", nodes.nodeId()).put("ready", nodes.ready());
                var ns = root.putArray("nodes");
                nodes.nodes().forEach(n -> ns.add(FabricJson.node(n)));
                var as = root.putArray("agents");
                agents.forEach(a -> as.add(a.value()));
                printJson(out, root);
                return CliSupport.EXIT_OK;
            }
            out.printf("node %s (%s)%n", nodes.nodeId(), nodes.ready() ? "ready" : "not ready");
            out.printf(Locale.ROOT, "%-16s %-22s %-10s %7s %13s %15s%n", "NODE", "ADDRESS", "REACHABLE", "AGENTS",
                    "CPU", "MEMORY MB");
            for (NodeStatus n : nodes.nodes()) {
                out.printf(Locale.ROOT, "%-16s %-22s %-10s %3d/%-3d %6.2f/%-6.2f %7d/%-7d%n", n.nodeId(), n.address(),
                        n.reachable() ? "yes" : "NO", n.agents(), n.maxAgents(), n.cpuReserved(), n.limits().cpuCores(),
                        n.memoryReservedMb(), n.limits().memoryMb());
            }
            out.printf("%d agent%s%n", agents.size(), agents.size() == 1 ? "" : "s");
            for (AgentId id : agents) {
                AgentStatus s = remote(() -> client.status(id));
                out.printf(Locale.ROOT, "  %-32s %-9s %s x%d%n", id, s.state().name().toLowerCase(Locale.ROOT),
                        s.service().key(), s.replicas().size());
            }
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send a message to an agent and print the response content.")
    static final class Send implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Target target;

        @CommandLine.Parameters(index = "0", paramLabel = "AGENT", description = "Agent id.")
        String agent;

        @CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "JSON",
                description = "Message content as JSON (default: read standard input).")
        String content;

        @CommandLine.Option(names = "--from", defaultValue = "village-cli", description = "Sender (default: ${DEFAULT-VALUE}).")
        String from;

        @CommandLine.Option(names = "--timeout", paramLabel = "MS", description = "Request timeout in ms (default: the node's).")
        Long timeoutMs;

        @CommandLine.Option(names = "--one-way", description = "Do not wait for a response.")
        boolean oneWay;

        @Override
        public Integer call() throws IOException {
            AgentId id = parseId(agent);
            byte[] bytes = content != null ? content.getBytes(StandardCharsets.UTF_8)
                    : System.in.readNBytes(FabricJson.MAX_DOCUMENT + 1);
            JsonNode json = remote(() -> FabricJson.parse(bytes));
            if (timeoutMs != null && (timeoutMs < 1 || timeoutMs > 3_600_000)) {
                throw new UserException("--timeout: expected 1..3600000 ms, got " + timeoutMs);
            }
            FabricClient client = target.client(Duration.ofSeconds(15));
            PrintWriter out = spec.commandLine().getOut();
            if (oneWay) {
                remote(() -> {
                    client.sendOneWay(id, from, json);
                    return null;
                });
                out.println("queued");
                return CliSupport.EXIT_OK;
            }
            Optional<Duration> timeout = Optional.ofNullable(timeoutMs).map(Duration::ofMillis);
            AgentResponse r = remote(() -> client.send(id, from, json, timeout));
            printJson(out, target.json ? FabricJson.response(r) : r.content());
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "services", mixinStandardHelpOptions = true,
            description = "List services known to the fabric whose name matches PATTERN (*, ?; NAME@VERSION with @).")
    static final class Services implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Target target;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "PATTERN", defaultValue = "*",
                description = "Glob (default: all).")
        String pattern;

        @Override
        public Integer call() {
            List<ServiceDefinition> services = remote(() -> target.client(Duration.ofSeconds(15)).services(pattern));
            PrintWriter out = spec.commandLine().getOut();
            if (target.json) {
                var a = JsonNodeFactory.instance.arrayNode();
                services.forEach(d -> a.add(FabricJson.service(d)));
                printJson(out, a);
                return CliSupport.EXIT_OK;
            }
            out.printf(Locale.ROOT, "%-24s %-12s %6s %9s  %s%n", "NAME", "VERSION", "CPU", "MEMORY MB", "ENDPOINTS");
            for (ServiceDefinition d : services) {
                out.printf(Locale.ROOT, "%-24s %-12s %6.2f %9d  %s%n", d.name(), d.version(),
                        d.resourceRequirements().cpuCores(), d.resourceRequirements().memoryMb(),
                        String.join(",", d.endpoints()));
            }
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "undeploy", mixinStandardHelpOptions = true, description = "Stop every replica of an agent.")
    static final class Undeploy implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Target target;

        @CommandLine.Parameters(index = "0", paramLabel = "AGENT", description = "Agent id.")
        String agent;

        @Override
        public Integer call() {
            AgentId id = parseId(agent);
            remote(() -> {
                target.client(Duration.ofSeconds(30)).undeploy(id);
                return null;
            });
            spec.commandLine().getOut().println("undeployed " + id);
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "certs", mixinStandardHelpOptions = true,
            description = {"Create a CA and PEM certificates for cluster TLS (RSA 2048, keys mode 0600).",
                "Keeps an existing CA in DIR, so nodes can be added later. Copy NODE.crt, NODE.key and ca.crt "
                        + "to each node and set tls_cert_file, tls_key_file, tls_ca_file; keep ca.key offline."})
    static final class Certs implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the files.")
        Path out;

        @CommandLine.Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "NODE", description = "Node names.")
        List<String> nodes;

        @Override
        public Integer call() {
            if (days < 1 || days > 3650) {
                throw new UserException("--days: expected 1..3650, got " + days);
            }
            Path dir = CliSupport.environment(spec).resolve(out);
            Map<String, TlsSettings> files;
            try {
                files = FabricCertificates.generate(dir, nodes, Duration.ofDays(days));
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            } catch (IOException e) {
                throw new UserException("cannot write certificates to " + dir + ": " + e.getMessage());
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println("CA: " + dir.resolve("ca.crt") + " (key " + dir.resolve("ca.key") + ": keep it offline)");
            files.forEach((n, t) -> o.println(n + ": tls_cert_file = \"" + t.certFile() + "\", tls_key_file = \""
                    + t.keyFile() + "\""));
            return CliSupport.EXIT_OK;
        }
    }

    static AgentId parseId(String s) {
        try {
            return AgentId.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
