package org.aivillage.cli.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.aivillage.cli.Village;
import org.aivillage.dtn.DtnHttpServer;
import org.aivillage.dtn.DtnNode;
import org.aivillage.dtn.EndpointId;
import org.aivillage.dtn.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code village dtn send|recv|status} against two nodes on loopback. */
class DtnCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Village.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void sendRecvStatusThroughRunningNodes() throws Exception {
        try (DtnNode a = new DtnNode(NodeConfig.builder(EndpointId.parse("dtn://alpha/"), dir.resolve("a")).tcpclPort(0)
                        .fsyncEveryCommit(false).build());
                DtnNode b = new DtnNode(NodeConfig.builder(EndpointId.parse("dtn://beta/"), dir.resolve("b")).tcpclPort(0)
                        .fsyncEveryCommit(false).build())) {
            a.start();
            b.start();
            a.connect(b.tcpclAddress(), Duration.ofSeconds(5));
            try (DtnHttpServer ha = new DtnHttpServer(a, "127.0.0.1", 0); DtnHttpServer hb = new DtnHttpServer(b, "127.0.0.1", 0)) {
                String urlA = "http://127.0.0.1:" + ha.port();
                String urlB = "http://127.0.0.1:" + hb.port();
                Run sent = run("dtn", "send", "--node", urlA, "--to", "dtn://beta/inbox", "--receipt", "--ttl", "PT1H",
                        "hello beta");
                assertThat(sent.exit()).as(sent.err()).isZero();
                String id = sent.out().strip();
                assertThat(id).startsWith("dtn://alpha/|");
                Run got = run("dtn", "recv", "--node", urlB, "--endpoint", "dtn://beta/inbox", "--timeout", "20",
                        "--show-id");
                assertThat(got.exit()).as(got.err()).isZero();
                assertThat(got.out()).contains("# " + id + " from dtn://alpha/").contains("hello beta");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                Run status;
                do {
                    status = run("dtn", "status", "--node", urlA, id);
                } while (!status.out().startsWith("DELIVERED") && System.nanoTime() < deadline && sleep());
                assertThat(status.out()).startsWith("DELIVERED 1");
                Run none = run("dtn", "recv", "--node", urlB, "--endpoint", "dtn://beta/inbox", "--timeout", "1");
                assertThat(none.exit()).isEqualTo(1);
                assertThat(none.err()).contains("no bundle");
                Run bad = run("dtn", "send", "--node", urlA, "--to", "mailto:x", "x");
                assertThat(bad.exit()).isEqualTo(1);
                assertThat(bad.err()).contains("400");
            }
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
