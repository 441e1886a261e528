package org.aivillage.cli.navigator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code village navigator ...} on the example files of agents/navigator/examples. */
class NavigatorCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("aivillage.repo.root", "../.."));
    private static final String MESH = ROOT.resolve("agents/navigator/examples/mesh.json").toString();
    private static final String PLAN = ROOT.resolve("agents/navigator/examples/contacts.json").toString();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Village.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void pathPrintsTheOptimalRoute() {
        Run r = run("navigator", "path", "--graph", MESH, "--from", "berlin", "--to", "zurich", "--goal", "minimize_cost");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("berlin -> leipzig -> munich -> zurich")
                .contains("cost 4.000");
    }

    @Test
    void failedEdgesAreNotUsed() {
        Run r = run("navigator", "path", "--graph", MESH, "--from", "cologne", "--to", "zurich", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"cologne\", \"frankfurt\", \"zurich\"");
    }

    @Test
    void noRouteExplainsAndExitsOne() throws Exception {
        Run r = run("navigator", "path", "--graph", MESH, "--from", "berlin", "--to", "zurich",
                "--max-latency", "12", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("noRoute").asText()).isEqualTo("constraint");
        assertThat(j.get("excludedBy").get(0).asText()).isEqualTo("max_latency");
        assertThat(j.get("bestCandidate").get("totalLatencyMs").asDouble()).isEqualTo(14.0);
    }

    @Test
    void kpathsHonoursConstraints() throws Exception {
        Run r = run("navigator", "kpaths", "--graph", MESH, "--from", "berlin", "--to", "zurich", "-k", "10",
                "--min-bandwidth", "400", "--max-hops", "3", "--json");
        assertThat(r.code()).isZero();
        JsonNode paths = new ObjectMapper().readTree(r.out()).get("paths");
        assertThat(paths.size()).isEqualTo(3);
        for (JsonNode p : paths) {
            assertThat(p.get("hops").asInt()).isLessThanOrEqualTo(3);
            assertThat(p.get("bottleneckBandwidthMbps").asDouble()).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void paretoListsTheFrontier() {
        Run r = run("navigator", "pareto", "--graph", MESH, "--from", "berlin", "--to", "zurich");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("1. berlin -> frankfurt -> zurich", "2. berlin -> leipzig -> munich -> zurich");
    }

    @Test
    void contactsFindsEarliestArrival() {
        Run r = run("navigator", "contacts", "--plan", PLAN, "--from", "lander", "--to", "earth",
                "--size", "1000000", "--routes", "3");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("1. lander -> orbiter -> relay -> earth", "arrives at 1968000 ms", "2. ");
    }

    @Test
    void badInputIsNamedAndExitsTwo(@TempDir Path dir) throws Exception {
        Run r = run("navigator", "path", "--graph", MESH, "--from", "berlin", "--to", "atlantis");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("destination: unknown node 'atlantis'");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"nodes": [{"id": "a"}, {"id": "b"}],
                 "edges": [{"from": "a", "to": "b", "latencyMs": -1, "bandwidthMbps": 1, "reliability": 1}]}
                """);
        r = run("navigator", "path", "--graph", bad.toString(), "--from", "a", "--to", "b");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("edges[0]: latencyMs must be a finite number >= 0, got -1.0");

        Files.writeString(bad, "{\"nodes\": [{\"id\": \"a\", \"capacty\": 3}], \"edges\": []}");
        r = run("navigator", "path", "--graph", bad.toString(), "--from", "a", "--to", "a");
        assertThat(r.err()).contains("nodes[0].capacty: unknown field");

        Files.writeString(bad, "{\"nodes\": [");
        r = run("navigator", "path", "--graph", bad.toString(), "--from", "a", "--to", "a");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not valid JSON at line 1");

        r = run("navigator", "path", "--graph", MESH, "--from", "berlin", "--to", "zurich", "--goal", "fastest");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown optimization goal 'fastest'");
    }
}
