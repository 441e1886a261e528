package org.aivillage.cli.mixnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** 'village testnet up', 'client send', 'testnet status|down' with real processes on loopback over HTX. */
class TestnetCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        CommandLine cl = Village.commandLine(new CliSupport.Environment(Map.of(), dir));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void upSendStatusDown() throws Exception {
        String state = dir.resolve("testnet").toString();
        Run up = run("testnet", "up", "--dir", state, "--mixnodes", "3", "--layers", "3", "--no-cover");
        try {
            assertThat(up.exit()).as(up.out() + up.err()).isZero();
            assertThat(up.out()).contains("testnet up in").contains("mix-1-1").contains("mix-3-1").contains("gateway")
                    .contains("directory  http://127.0.0.1:");
            Testnet.State s = Testnet.read(dir.resolve("testnet")).orElseThrow();
            assertThat(s.processes()).hasSize(5).allMatch(Testnet::alive);

            Run again = run("testnet", "up", "--dir", state);
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("already running");

            Run send = run("client", "send", "--dir", state, "--hops", "3", "--level", "low", "--count", "3", "hello testnet");
            assertThat(send.exit()).as(send.out() + send.err()).isZero();
            assertThat(send.out()).contains("reply: hello testnet").contains("latency: p50").contains("-> gateway");

            // Bootstrapping from mixnodes instead of the directory: the signed topology from their public
            // topology mirrors (an unreachable endpoint in the list is skipped).
            String mirrors = "127.0.0.1:1," + s.processes().stream().filter(p -> !p.mirror().isEmpty())
                    .map(Testnet.Proc::mirror).collect(java.util.stream.Collectors.joining(","));
            Run viaMixnodes = run("client", "send", "--mixnodes", mirrors, "--authority", s.authorityHex(),
                    "--tls-ca", dir.resolve("testnet").resolve("tls").resolve("ca.pem").toString(),
                    "--hops", "3", "--level", "low", "bootstrapped from mixnodes");
            assertThat(viaMixnodes.exit()).as(viaMixnodes.out() + viaMixnodes.err()).isZero();
            assertThat(viaMixnodes.out()).contains("reply: bootstrapped from mixnodes");
            Run noAuthority = run("client", "send", "--mixnodes", mirrors, "x");
            assertThat(noAuthority.exit()).isEqualTo(2);
            assertThat(noAuthority.err()).contains("--authority");
            Run badEndpoint = run("client", "send", "--mixnodes", "nohostport", "--authority", s.authorityHex(), "x");
            assertThat(badEndpoint.exit()).isEqualTo(2);
            assertThat(badEndpoint.err()).contains("expected host:port");

            assertThat(run("testnet", "status", "--dir", state).out()).contains("mix-2-1").contains("TOPOLOGY MIRROR")
                    .doesNotContain("not running");
        } finally {
            Run down = run("testnet", "down", "--dir", state);
            assertThat(down.out()).contains("stopped 5 processes");
        }
        assertThat(Testnet.read(dir.resolve("testnet"))).isEmpty();
        assertThat(run("testnet", "down", "--dir", state).exit()).isEqualTo(2);
    }
}
