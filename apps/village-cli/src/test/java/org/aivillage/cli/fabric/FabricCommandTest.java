package org.aivillage.cli.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.Village;
import org.aivillage.fabric.AgentConfig;
import org.aivillage.fabric.FabricNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code village fabric ...} against a running (embedded) node over its HTTP API on 127.0.0.1. */
class FabricCommandTest {
    @TempDir
    static Path dir;
    static FabricNode node;
    static String endpoint;
    static String tokenFile;

    @BeforeAll
    static void start() {
        node = FabricNode.start(AgentConfig.embedded("cli-node", 8), new InetSocketAddress("127.0.0.1", 0));
        endpoint = "127.0.0.1:" + node.apiAddress().getPort();
        try {
            Path file = dir.resolve("node-api.token");
            java.nio.file.Files.writeString(file, node.apiToken().authorizationHeader().substring("Bearer ".length()));
            tokenFile = file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** exit code, stdout, stderr */
    private static String[] run(String... args) {
        CommandLine cl = Village.commandLine(new CliSupport.Environment(Map.of(), dir));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {Integer.toString(exit), out.toString().strip(), err.toString().strip()};
    }

    @Test
    void deploysSendsShowsAndUndeploys() {
        String[] services = run("fabric", "services", "--node", endpoint, "--token-file", tokenFile, "e*");
        assertThat(services[0]).isEqualTo("0");
        assertThat(services[1]).contains("echo").contains("1.0.0").doesNotContain("inspect");

        String[] deploy = run("fabric", "deploy", "--node", endpoint, "--token-file", tokenFile, "inspect", "--name", "probe", "--replicas", "2",
                "--placement", "local");
        assertThat(deploy[0]).as(deploy[2]).isEqualTo("0");
        String id = deploy[1];
        assertThat(id).startsWith("probe-");

        String[] send = run("fabric", "send", "--node", endpoint, "--token-file", tokenFile, id, "{\"q\": 42}");
        assertThat(send[0]).as(send[2]).isEqualTo("0");
        assertThat(send[1]).contains("\"node\" : \"cli-node\"").contains("\"q\" : 42");
        assertThat(run("fabric", "send", "--node", endpoint, "--token-file", tokenFile, "--one-way", id, "1")[1]).isEqualTo("queued");

        String[] status = run("fabric", "status", "--node", endpoint, "--token-file", tokenFile, id);
        assertThat(status[1]).contains(id).contains("inspect@1.0.0").contains("cli-node").contains("running");
        String[] overview = run("fabric", "status", "--node", endpoint, "--token-file", tokenFile);
        assertThat(overview[1]).contains("node cli-node (ready)").contains("1 agent").contains(id);
        assertThat(run("fabric", "status", "--node", endpoint, "--token-file", tokenFile, "--json")[1]).contains("\"agents\" : [ \"" + id + "\" ]");

        assertThat(run("fabric", "undeploy", "--node", endpoint, "--token-file", tokenFile, id)).containsExactly("0", "undeployed " + id, "");
        assertThat(run("fabric", "status", "--node", endpoint, "--token-file", tokenFile, id))
                .containsExactly("2", "", "village: fabric: agent_not_found: no agent " + id + " is deployed");
    }

    @Test
    void reportsMistakesAsOneLine() {
        assertThat(run("fabric", "deploy", "--node", endpoint, "--token-file", tokenFile, "nothing"))
                .containsExactly("2", "", "village: fabric: service_not_found: no service named \"nothing\" is registered");
        assertThat(run("fabric", "deploy", "--node", endpoint, "--token-file", tokenFile, "echo", "--replicas", "9")[2])
                .startsWith("village: fabric: placement_failed: cannot place replica 9 of 9");
        assertThat(run("fabric", "send", "--node", endpoint, "--token-file", tokenFile, "bad id", "1")[2]).startsWith("village: agent id must look like");
        assertThat(run("fabric", "send", "--node", endpoint, "--token-file", tokenFile, "echo-0000abcd", "{nope")[2])
                .startsWith("village: fabric: invalid_argument: document: malformed JSON at line 1");
        assertThat(run("fabric", "status", "--node", "127.0.0.1:1", "--token-file", tokenFile)[2])
                .startsWith("village: fabric: unavailable: cannot reach the fabric node at 127.0.0.1:1");
    }

    @Test
    void clientCommandsNeedTheNodesToken() throws Exception {
        // No token file where the default configuration looks (<data_dir>/fabric-api.token).
        String[] none = run("fabric", "status", "--node", endpoint);
        assertThat(none[0]).isEqualTo("2");
        assertThat(none[2]).startsWith("village: no fabric API token at ").contains("fabric-api.token");
        // Somebody else's token: the node refuses, the command says so in one line.
        Files.writeString(dir.resolve("other.token"), "x".repeat(43));
        assertThat(run("fabric", "status", "--node", endpoint, "--token-file", "other.token"))
                .containsExactly("2", "", "village: fabric: unauthorized: missing or wrong fabric API token (Authorization: Bearer <token>)");
        Files.writeString(dir.resolve("garbage.token"), "not a token!");
        assertThat(run("fabric", "status", "--node", endpoint, "--token-file", "garbage.token")[2])
                .contains("does not hold a token");
    }

    @Test
    void nodeRefusesAClusterWithoutTls() throws Exception {
        Files.writeString(dir.resolve("cluster.toml"), """
                [agents.fabric]
                cluster_endpoints = ["127.0.0.1:25520"]
                [performance]
                admin_port = 0
                """);
        String[] r = run("fabric", "node", "--config", "cluster.toml");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("cluster mode (cluster_endpoints set) needs tls_cert_file");
    }

    @Test
    void createsCertificates() {
        String[] r = run("fabric", "certs", "--out", "tls", "a", "b");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(dir.resolve("tls/a.crt")).exists();
        assertThat(dir.resolve("tls/b.key")).exists();
        assertThat(r[1]).contains("keep it offline");
        assertThat(run("fabric", "certs", "--out", "tls", "bad name")[0]).isEqualTo("2");
    }
}
