package org.aivillage.cli.dtn;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code village dtn send}: hands a bundle to a running node; prints its id once it is durable. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send a bundle through a running node.")
public final class DtnSendCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", description = "node admin URL (default http://127.0.0.1:4557)")
    String node = "http://127.0.0.1:4557";

    @Option(names = "--to", required = true, description = "destination endpoint, e.g. dtn://beta/inbox")
    String to;

    @Option(names = "--ttl", description = "lifetime, ISO-8601 (PT1H) or seconds (default: the node's)")
    String ttl;

    @Option(names = "--priority", description = "0 bulk, 1 normal, 2 expedited (default 1)")
    int priority = 1;

    @Option(names = "--receipt", description = "request a delivery receipt")
    boolean receipt;

    @Option(names = "--file", description = "send this file's bytes as the payload")
    Path file;

    @Parameters(arity = "0..1", description = "message text (or use --file)")
    String message;

    @Override
    public Integer call() throws Exception {
        byte[] payload = file != null ? Files.readAllBytes(file)
                : message != null ? message.getBytes(StandardCharsets.UTF_8) : System.in.readAllBytes();
        StringBuilder q = new StringBuilder("/v1/bundles?destination=").append(AgentClient.q(to))
                .append("&priority=").append(priority).append("&receipt=").append(receipt);
        if (ttl != null) {
            long ms = ttl.startsWith("P") ? Duration.parse(ttl).toMillis() : Long.parseLong(ttl) * 1000;
            q.append("&ttl_ms=").append(ms);
        }
        HttpResponse<byte[]> r = new AgentClient(node).post(q.toString(), payload);
        String body = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (r.statusCode() != 200) {
            spec.commandLine().getErr().println("send failed (" + r.statusCode() + "): " + body);
            return 1;
        }
        spec.commandLine().getOut().println(body);
        return 0;
    }
}
