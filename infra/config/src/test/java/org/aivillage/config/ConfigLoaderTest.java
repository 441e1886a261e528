package org.aivillage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    private static List<String> errors(String toml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(toml, "village.toml"));
        assertThat(e).as("expected a ConfigException for:\n" + toml).isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void emptyFileGivesDefaults() {
        assertThat(ConfigLoader.parse("", "village.toml")).isEqualTo(VillageConfig.defaults());
        VillageConfig d = VillageConfig.defaults();
        assertThat(d.dtn().sprayCopies()).isEqualTo(6);
        assertThat(d.dtn().routingStrategy()).isEqualTo(DtnConfig.RoutingStrategy.EPIDEMIC);
        assertThat(d.performance().adminBind()).isEqualTo("127.0.0.1");
        assertThat(d.global().dataDir()).isEqualTo(Path.of("data"));
        assertThat(d.twinVault().passphrase()).isEmpty();
        assertThat(d.security().allowList()).isEmpty();
        assertThat(d.dtnStoragePath()).isEqualTo(Path.of("data", "dtn"));
        assertThat(d.section(DtnConfig.class)).isSameAs(d.dtn());
    }

    @Test
    void readsEveryKindOfValue() {
        VillageConfig c = ConfigLoader.parse("""
                [global]
                node_id = "alpha"
                data_dir = "/var/lib/village"
                environment = "production"
                [network.betanet]
                mixnode_endpoints = ["mix1.example:4443", "[2001:db8::1]:443", "10.0.0.1:1"]
                privacy_mode = "strict"
                tls_cert_file = "/etc/cert.pem"
                [network.dtn]
                max_storage_gb = 2
                routing_strategy = "spray_and_wait"
                spray_copies = 12
                [agents.fabric]
                memory_gb = 1.5
                [storage.twin_vault]
                passphrase = "correct horse"
                [security]
                allow_list = ["10.0.0.0/8", "fd00::/8", "192.0.2.7"]
                [logging]
                level = "debug"
                json = true
                """, "village.toml");
        assertThat(c.global().nodeId()).contains("alpha");
        assertThat(c.global().environment()).isEqualTo(GlobalConfig.Environment.PRODUCTION);
        assertThat(c.betanet().mixnodeEndpoints()).hasSize(3);
        assertThat(c.betanet().privacyMode()).isEqualTo(BetanetConfig.PrivacyMode.STRICT);
        assertThat(c.betanet().tlsCertFile()).contains(Path.of("/etc/cert.pem"));
        assertThat(c.dtn().maxStorageGb()).isEqualTo(2.0);
        assertThat(c.dtn().maxStorageBytes()).isEqualTo(2_000_000_000L);
        assertThat(c.dtn().routingStrategy()).isEqualTo(DtnConfig.RoutingStrategy.SPRAY_AND_WAIT);
        assertThat(c.dtnStoragePath()).isEqualTo(Path.of("/var/lib/village/dtn"));
        assertThat(c.fabric().memoryGb()).isEqualTo(1.5);
        assertThat(c.twinVault().passphrase().orElseThrow().reveal()).isEqualTo("correct horse");
        assertThat(c.twinVault().toString()).doesNotContain("correct horse").contains(Secret.REDACTED);
        assertThat(c.security().allowList()).containsExactly("10.0.0.0/8", "fd00::/8", "192.0.2.7");
        assertThat(c.logging().level()).isEqualTo(LoggingConfig.Level.DEBUG);
        // untouched keys keep their defaults
        assertThat(c.betanet().listenPort()).isEqualTo(4443);
        assertThat(c.navigator()).isEqualTo(VillageConfig.defaults().navigator());
    }

    @Test
    void dottedKeysAndInlineTablesAreTheSameSections() {
        VillageConfig c = ConfigLoader.parse("""
                network.dtn.spray_copies = 9
                [agents]
                navigator = { k_paths = 5 }
                """, "v.toml");
        assertThat(c.dtn().sprayCopies()).isEqualTo(9);
        assertThat(c.navigator().kPaths()).isEqualTo(5);
    }

    @Test
    void wrongTypeNamesFileLineKeyAndExpectation() {
        assertThat(errors("\n\n[network.dtn]\nspray_copies = \"many\"\n")).containsExactly(
                "village.toml:4:1: network.dtn.spray_copies: expected an integer 1..1024, got \"many\"");
        assertThat(errors("[logging]\njson = \"yes\"\n")).containsExactly(
                "village.toml:2:1: logging.json: expected true or false, got \"yes\"");
        assertThat(errors("[global]\ndata_dir = 5\n")).containsExactly(
                "village.toml:2:1: global.data_dir: expected a path (a non-empty string), got 5");
        assertThat(errors("[network.betanet]\nmixnode_endpoints = \"a:1\"\n")).containsExactly(
                "village.toml:2:1: network.betanet.mixnode_endpoints: expected an array of strings, each host:port"
                        + " (IPv6 as [addr]:port, port 1..65535), got \"a:1\"");
        assertThat(errors("[agents.fabric]\nmemory_gb = true\n")).containsExactly(
                "village.toml:2:1: agents.fabric.memory_gb: expected a number 0..65536, got true");
        assertThat(errors("[network.dtn]\nspray_copies = 2.5\n")).containsExactly(
                "village.toml:2:1: network.dtn.spray_copies: expected an integer 1..1024, got 2.5");
        assertThat(errors("network.dtn = 3\n")).containsExactly(
                "village.toml:1:1: network.dtn: expected a table [network.dtn], got 3");
    }

    @Test
    void outOfRange() {
        assertThat(errors("[network.dtn]\nspray_copies = 0\n")).containsExactly(
                "village.toml:2:1: network.dtn.spray_copies: expected an integer 1..1024, got 0");
        assertThat(errors("[network.betanet]\nlisten_port = 70000\n")).containsExactly(
                "village.toml:2:1: network.betanet.listen_port: expected an integer 0..65535, got 70000");
        assertThat(errors("[network.dtn]\nmax_storage_gb = 0.0\n")).containsExactly(
                "village.toml:2:1: network.dtn.max_storage_gb: expected a number 0.001..1000000, got 0.0");
        assertThat(errors("[network.dtn]\nmax_storage_gb = nan\n")).hasSize(1);
        assertThat(errors("[logging]\nmax_files = 21\n")).containsExactly(
                "village.toml:2:1: logging.max_files: expected an integer 1..20, got 21");
    }

    @Test
    void badEnumSuggestsTheClosestValue() {
        assertThat(errors("[network.dtn]\nrouting_strategy = \"sprey_and_wait\"\n")).containsExactly(
                "village.toml:2:1: network.dtn.routing_strategy: expected one of epidemic, spray_and_wait, prophet,"
                        + " contact_graph, static, got \"sprey_and_wait\"; did you mean \"spray_and_wait\"?");
        assertThat(errors("[logging]\nlevel = \"INFO\"\n").getFirst()).endsWith("got \"INFO\"; did you mean \"info\"?");
        assertThat(errors("[logging]\nlevel = \"verbose\"\n")).containsExactly(
                "village.toml:2:1: logging.level: expected one of trace, debug, info, warn, error, off, got \"verbose\"");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(errors("[network.dtn]\nspray_copy = 3\n")).containsExactly(
                "village.toml:2:1: network.dtn.spray_copy: unknown key; did you mean network.dtn.spray_copies?");
        assertThat(errors("[network.betanet]\nport = 3\n")).containsExactly(
                "village.toml:2:1: network.betanet.port: unknown key; did you mean network.betanet.listen_port?");
        // the right name in the wrong section
        assertThat(errors("[network.betanet]\npassphrase = \"x\"\n")).containsExactly(
                "village.toml:2:1: network.betanet.passphrase: unknown key; did you mean storage.twin_vault.passphrase?");
        // a key outside any section
        assertThat(errors("data_dir = \"x\"\n")).containsExactly(
                "village.toml:1:1: data_dir: unknown key; did you mean global.data_dir?");
        assertThat(errors("[global]\nzzzzzzzz = 1\n")).containsExactly("village.toml:2:1: global.zzzzzzzz: unknown key");
    }

    @Test
    void unknownSectionSuggestsTheClosestSection() {
        assertThat(errors("[netwrk.dtn]\nspray_copies = 3\n")).containsExactly(
                "village.toml:1:1: netwrk.dtn: unknown section; did you mean network.dtn?");
        assertThat(errors("[loging]\nlevel = \"info\"\n")).containsExactly(
                "village.toml:1:1: loging: unknown section; did you mean logging?");
        assertThat(errors("[network.mesh]\nx = 1\n")).containsExactly("village.toml:1:1: network.mesh: unknown section");
        assertThat(errors("[[loggin]]\nlevel = \"info\"\n")).containsExactly(
                "village.toml:1:1: loggin: unknown section; did you mean logging?");
        assertThat(errors("[[agents.fabric]]\nmax_agents = 1\n")).containsExactly(
                "village.toml:1:1: agents.fabric: expected a table [agents.fabric], got an array");
        assertThat(errors("network = 1\n")).containsExactly(
                "village.toml:1:1: network: expected a table holding [network.betanet], [network.bitchat],"
                        + " [network.dtn], got 1");
    }

    @Test
    void badCidrAndEndpointElementsAreNamedWithTheirIndex() {
        assertThat(errors("[security]\nallow_list = [\"10.0.0.0/8\", \"10.0.0.1/8\", \"300.1.1.1\", \"::1/129\", \"host\"]\n"))
                .containsExactly(
                        "village.toml:2:29: security.allow_list[1]: expected a CIDR block or address like 10.0.0.0/8"
                                + " or fd00::/8, got \"10.0.0.1/8\" (host bits are set; did you mean 10.0.0.0/8?)",
                        "village.toml:2:43: security.allow_list[2]: expected a CIDR block or address like 10.0.0.0/8"
                                + " or fd00::/8, got \"300.1.1.1\"",
                        "village.toml:2:56: security.allow_list[3]: expected a CIDR block or address like 10.0.0.0/8"
                                + " or fd00::/8, got \"::1/129\" (prefix length must be 0..128)",
                        "village.toml:2:67: security.allow_list[4]: expected a CIDR block or address like 10.0.0.0/8"
                                + " or fd00::/8, got \"host\"");
        assertThat(errors("[network.betanet]\nmixnode_endpoints = [\"x\", 5]\n")).containsExactly(
                "village.toml:2:22: network.betanet.mixnode_endpoints[0]: expected host:port (IPv6 as [addr]:port,"
                        + " port 1..65535), got \"x\" (missing :port)",
                "village.toml:2:27: network.betanet.mixnode_endpoints[1]: expected a string, got 5");
    }

    @Test
    void syntaxErrorsNamePosition() {
        List<String> e = errors("[global]\nnode_id = \"a\"\n\n[network.dtn\nspray_copies = 3\n");
        assertThat(e).isNotEmpty();
        assertThat(e.getFirst()).startsWith("village.toml:4:").contains("syntax error");
        assertThat(errors("[global]\nnode_id = \"a\"\nnode_id = \"b\"\n").getFirst()).startsWith("village.toml:3:")
                .contains("syntax error");
    }

    @Test
    void allErrorsOfAFileAreReportedInFileOrder() {
        List<String> e = errors("""
                [logging]
                level = "loud"
                max_files = 0
                [network.dtn]
                spray_copies = -1
                tcpcl = 5
                """);
        assertThat(e).hasSize(4);
        assertThat(e).extracting(s -> s.split(":")[1]).containsExactly("2", "3", "5", "6");
    }

    @Test
    void secretsNeverAppearInErrors() {
        String secret = "hunter2-very-secret";
        List<String> e = errors("[storage.twin_vault]\npassphrase = " + secret + "\n");
        assertThat(String.join("\n", e)).doesNotContain(secret).contains("secret");
        e = errors("[storage.twin_vault]\n\"encryption_key\" = [\"" + secret + "\"]\n");
        assertThat(String.join("\n", e)).doesNotContain(secret)
                .contains("storage.twin_vault.encryption_key: expected a string, got an array");
    }

    @Test
    void loadOrderFlagThenEnvironmentThenWorkingDirectoryThenDefaults() throws Exception {
        Path flag = write("flag.toml", "[network.dtn]\nspray_copies = 1\n");
        Path env = write("env.toml", "[network.dtn]\nspray_copies = 2\n");
        Path cwd = Files.createDirectory(dir.resolve("cwd"));
        Files.writeString(cwd.resolve("village.toml"), "[network.dtn]\nspray_copies = 3\n");
        Map<String, String> withEnv = Map.of(ConfigLoader.ENV_VAR, env.toString());

        LoadedConfig l = ConfigLoader.load(flag, withEnv, cwd);
        assertThat(l.config().dtn().sprayCopies()).isEqualTo(1);
        assertThat(l.origin()).isEqualTo(LoadedConfig.Origin.COMMAND_LINE);
        assertThat(l.file()).contains(flag);

        l = ConfigLoader.load(null, withEnv, cwd);
        assertThat(l.config().dtn().sprayCopies()).isEqualTo(2);
        assertThat(l.origin()).isEqualTo(LoadedConfig.Origin.ENVIRONMENT);

        l = ConfigLoader.load(null, Map.of(), cwd);
        assertThat(l.config().dtn().sprayCopies()).isEqualTo(3);
        assertThat(l.origin()).isEqualTo(LoadedConfig.Origin.WORKING_DIRECTORY);

        l = ConfigLoader.load(null, Map.of(ConfigLoader.ENV_VAR, ""), dir);
        assertThat(l.config()).isEqualTo(VillageConfig.defaults());
        assertThat(l.origin()).isEqualTo(LoadedConfig.Origin.DEFAULTS);
        assertThat(l.file()).isEmpty();
        assertThat(l.describe()).contains("defaults");
    }

    @Test
    void namedFilesMustExist() {
        Path missing = dir.resolve("missing.toml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), dir))
                .isInstanceOf(ConfigException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigLoader.ENV_VAR, missing.toString()), dir))
                .isInstanceOf(ConfigException.class).hasMessage(missing + ": no such file");
    }

    @Test
    void refusesBinaryAndHugeFiles() throws Exception {
        Path binary = dir.resolve("bin.toml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> ConfigLoader.read(binary)).isInstanceOf(ConfigException.class)
                .hasMessage(binary + ": not valid UTF-8 text");
        Path huge = dir.resolve("huge.toml");
        Files.write(huge, ("#" + "x".repeat(1023) + "\n").repeat(1025).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ConfigLoader.read(huge)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("larger than 1024 KiB");
        assertThatThrownBy(() -> ConfigLoader.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot read");
    }

    @Test
    void deepNestingIsAConfigException() {
        String deep = "a = " + "[".repeat(20_000) + "]".repeat(20_000);
        assertThatThrownBy(() -> ConfigLoader.parse(deep, "deep.toml")).isInstanceOf(ConfigException.class);
    }

    @Test
    void showIsValidTomlWithSecretsRedacted() {
        VillageConfig c = ConfigLoader.parse("""
                [storage.twin_vault]
                passphrase = "correct horse battery"
                encryption_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                [security]
                block_list = ["192.0.2.0/24"]
                [network.dtn]
                max_storage_gb = 0.25
                """, "v.toml");
        String shown = ConfigRenderer.toToml(c, "source: v.toml");
        assertThat(shown).startsWith("# source: v.toml\n")
                .doesNotContain("correct horse").doesNotContain("00112233")
                .contains("passphrase = \"<redacted>\"").contains("encryption_key = \"<redacted>\"")
                .contains("# key_file is not set").contains("block_list = [\"192.0.2.0/24\"]");
        VillageConfig again = ConfigLoader.parse(shown, "shown.toml");
        assertThat(again.twinVault().passphrase().orElseThrow().reveal()).isEqualTo(Secret.REDACTED);
        assertThat(again.dtn()).isEqualTo(c.dtn());
        assertThat(again.security()).isEqualTo(c.security());
        assertThat(ConfigLoader.parse(ConfigRenderer.toToml(VillageConfig.defaults(), ""), "d.toml"))
                .isEqualTo(VillageConfig.defaults());
    }

    @Test
    void defaultFileValidatesDocumentsEveryKeyAndEqualsDefaults() {
        String text = ConfigRenderer.defaultFile();
        assertThat(ConfigLoader.validate(text, "init.toml")).isEmpty();
        assertThat(ConfigLoader.parse(text, "init.toml")).isEqualTo(VillageConfig.defaults());
        for (String dotted : ConfigRenderer.keys()) {
            String key = dotted.substring(dotted.lastIndexOf('.') + 1);
            assertThat(text).as(dotted).containsPattern("(?m)^(# )?" + key + " = ");
        }
        assertThat(text).contains("[network.dtn]").contains("# Copies of each bundle handed out by spray_and_wait. Range 1..1024.");
        // uncommenting every optional key (empty string = unset) still validates
        assertThat(ConfigLoader.parse(text.replaceAll("(?m)^# (\\w+ = \"\")$", "$1"), "init.toml"))
                .isEqualTo(VillageConfig.defaults());
    }

    @Test
    void secretWipes() {
        Secret s = Secret.of("pw");
        assertThat(s).isEqualTo(Secret.of("pw")).isNotEqualTo(Secret.of("pX"));
        s.destroy();
        assertThat(s.isDestroyed()).isTrue();
        assertThatThrownBy(s::reveal).isInstanceOf(IllegalStateException.class);
        assertThat(Optional.of(s).toString()).doesNotContain("pw");
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
