package org.aivillage.cli.dtn;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code village dtn status}: a bundle's state at the node that sent it, or the node's readiness. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a bundle's status (PENDING, FORWARDED, DELIVERED, DELETED, UNKNOWN) or the node's readiness.")
public final class DtnStatusCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", description = "node admin URL (default http://127.0.0.1:4557)")
    String node = "http://127.0.0.1:4557";

    @Parameters(arity = "0..1", description = "bundle id as printed by 'village dtn send'")
    String id;

    @Override
    public Integer call() throws Exception {
        AgentClient c = new AgentClient(node);
        HttpResponse<byte[]> r = id == null ? c.get("/ready", Duration.ofSeconds(10))
                : c.get("/v1/bundles/status?id=" + AgentClient.q(id), Duration.ofSeconds(10));
        spec.commandLine().getOut().println(new String(r.body(), StandardCharsets.UTF_8).strip());
        return r.statusCode() == 200 ? 0 : 1;
    }
}
