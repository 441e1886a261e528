package org.aivillage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aivillage.config.internal.KeySpec;
import org.aivillage.config.internal.Schema;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md carries the key reference generated from the schema between two markers.
 * When a key changes, regenerate it with
 * {@code ./mvnw -q -pl infra/config test -Dtest=ConfigurationDocTest -Dconfig.docs.write=true}.
 */
class ConfigurationDocTest {
    static final String BEGIN = "<!-- BEGIN GENERATED KEY REFERENCE (ConfigurationDocTest) -->\n";
    static final String END = "<!-- END GENERATED KEY REFERENCE -->";

    @Test
    void referenceInDocsMatchesTheSchema() throws Exception {
        String root = System.getProperty("aivillage.repo.root");
        assertThat(root).as("system property aivillage.repo.root (set by surefire)").isNotNull();
        Path doc = Path.of(root, "docs", "configuration.md");
        assertThat(doc).exists();
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("begin marker").isNotNegative();
        assertThat(end).as("end marker").isGreaterThan(begin);
        String generated = ConfigRenderer.markdownReference();
        String updated = text.substring(0, begin + BEGIN.length()) + generated + text.substring(end);
        if (Boolean.getBoolean("config.docs.write")) {
            Files.writeString(doc, updated);
            text = updated;
        }
        assertThat(text).as("docs/configuration.md is stale; regenerate it: ./mvnw -q -pl infra/config test"
                + " -Dtest=ConfigurationDocTest -Dconfig.docs.write=true").isEqualTo(updated);
    }

    @Test
    void everyKeyIsDocumentedAndNamedInSnakeCase() {
        for (Schema.SectionSpec s : Schema.instance().sections()) {
            assertThat(s.doc()).as(s.name()).isNotBlank();
            for (KeySpec k : s.keys()) {
                assertThat(k.name()).as(k.dotted()).matches("[a-z][a-z0-9_]*");
                assertThat(k.doc()).as(k.dotted()).isNotBlank().endsWith(".").doesNotContain("\n");
            }
        }
        assertThat(ConfigRenderer.keys()).hasSize(Schema.instance().sections().stream().mapToInt(s -> s.keys().size()).sum())
                .doesNotHaveDuplicates()
                .contains("global.node_id", "network.betanet.decoy_dir", "network.bitchat.max_ttl",
                        "network.dtn.tcpcl_port", "agents.fabric.memory_gb", "agents.navigator.pareto_frontier_max",
                        "storage.twin_vault.passphrase", "security.pow_difficulty_bits", "performance.metrics_enabled",
                        "logging.json");
        assertThat(Schema.snake("kPaths")).isEqualTo("k_paths");
    }
}
