package org.aivillage.cli.dtn;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code village dtn recv}: takes bundles for a local endpoint from a running node and prints their payloads. */
@Command(name = "recv", mixinStandardHelpOptions = true, description = "Receive bundles for an endpoint of a running node; prints each payload as UTF-8 text.")
public final class DtnRecvCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", description = "node admin URL (default http://127.0.0.1:4557)")
    String node = "http://127.0.0.1:4557";

    @Option(names = "--endpoint", required = true, description = "local endpoint, e.g. dtn://beta/inbox")
    String endpoint;

    @Option(names = "--timeout", description = "seconds to wait for each bundle (default 30)")
    long timeoutSeconds = 30;

    @Option(names = "--count", description = "bundles to receive before exiting (default 1)")
    int count = 1;

    @Option(names = "--show-id", description = "print the bundle id and source before each payload")
    boolean showId;

    @Override
    public Integer call() throws Exception {
        AgentClient c = new AgentClient(node);
        for (int i = 0; i < count; i++) {
            HttpResponse<byte[]> r = c.get("/v1/endpoints/receive?endpoint=" + AgentClient.q(endpoint) + "&timeout_ms="
                    + timeoutSeconds * 1000, Duration.ofSeconds(timeoutSeconds + 10));
            if (r.statusCode() == 204) {
                spec.commandLine().getErr().println("no bundle for " + endpoint + " within " + timeoutSeconds + " s");
                return 1;
            }
            if (r.statusCode() != 200) {
                spec.commandLine().getErr().println("recv failed (" + r.statusCode() + "): " + new String(r.body()));
                return 1;
            }
            if (showId) {
                spec.commandLine().getOut().println("# " + r.headers().firstValue("X-Bundle-Id").orElse("?") + " from "
                        + r.headers().firstValue("X-Source").orElse("?"));
            }
            spec.commandLine().getOut().print(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
