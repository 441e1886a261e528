package org.aivillage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aivillage.config.ConfigLoader;
import org.aivillage.config.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code village} command in-process: output, errors, exit codes. */
class VillageCliTest {
    @TempDir Path dir;

    /** Exit code, stdout and stderr of one run. */
    record Run(int exit, String out, String err) {}

    static Run run(CliSupport.Environment env, String... args) {
        CommandLine cl = Village.commandLine(env);
        cl.addSubcommand("boom", new Boom());
        cl.addSubcommand("refuse", new Refuse());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run run(String... args) {
        return run(new CliSupport.Environment(Map.of(), dir), args);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("invariant broken\nsecond line");
        }
    }

    @Command(name = "refuse")
    static final class Refuse implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UserException("peer table is full");
        }
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: village").contains("config").contains("--verbose");
        Run version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("village ").contains("Java 25");
        assertThat(run().out()).contains("Usage: village");
        assertThat(run("config", "--help").out()).contains("init").contains("show").contains("validate");
    }

    @Test
    void userErrorsAreOneLineAndExit2() {
        Run r = run("refuse");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("village: peer table is full" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void bugsAreOneLinePlusAHintUnlessVerbose() {
        Run r = run("boom");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly(
                "village: internal error: java.lang.IllegalStateException: invariant broken",
                "village: run with --verbose (or VILLAGE_VERBOSE=1) for the stack trace");

        Run verbose = run("boom", "--verbose");
        assertThat(verbose.exit()).isEqualTo(1);
        assertThat(verbose.err()).contains("java.lang.IllegalStateException: invariant broken")
                .contains("\tat org.aivillage.cli.VillageCliTest$Boom.call");
        assertThat(run("--verbose", "boom").err()).contains("\tat ");

        Run env = run(new CliSupport.Environment(Map.of(CliSupport.VERBOSE_ENV, "1"), dir), "boom");
        assertThat(env.err()).contains("\tat ");
    }

    @Test
    void commandLineMistakesAreOneLineAndExit2() {
        Run r = run("config", "show", "--confg", "x.toml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("village: Unknown options: '--confg'").contains("--config")
                .contains("village: see 'village config show --help'");
        Run typo = run("confg");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("config");
    }

    @Test
    void initWritesAValidFileAndRefusesToOverwrite() throws Exception {
        Run r = run("config", "init");
        Path file = dir.resolve("village.toml");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + file + System.lineSeparator());
        assertThat(ConfigLoader.validate(Files.readString(file), "village.toml")).isEmpty();
        assertThat(run("config", "validate").out()).contains("valid").contains("working directory");

        Files.writeString(file, "# mine\n");
        Run again = run("config", "init");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("village: " + file + " exists; use --force to overwrite it" + System.lineSeparator());
        assertThat(Files.readString(file)).isEqualTo("# mine\n");

        assertThat(run("config", "init", "--force").exit()).isZero();
        assertThat(Files.readString(file)).contains("[network.dtn]");

        Path other = dir.resolve("sub/dir/node.toml");
        assertThat(run("config", "init", other.toString()).exit()).isZero();
        assertThat(run("config", "validate", other.toString()).out()).isEqualTo(other + ": valid" + System.lineSeparator());
        try (var files = Files.list(other.getParent())) {
            assertThat(files.toList()).containsExactly(other); // no temporary file left behind
        }
    }

    @Test
    void validateReportsEveryProblemWithExit2() throws Exception {
        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, """
                [network.dtn]
                spray_copies = "many"
                spray_copy = 3
                [security]
                allow_list = ["10.0.0.1/8"]
                """);
        for (String[] args : new String[][] {{"config", "validate", bad.toString()},
            {"config", "validate", "--config", bad.toString()}}) {
            Run r = run(args);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().toList()).containsExactly(
                    "village: " + bad + ":2:1: network.dtn.spray_copies: expected an integer 1..1024, got \"many\"",
                    "village: " + bad + ":3:1: network.dtn.spray_copy: unknown key; did you mean network.dtn.spray_copies?",
                    "village: " + bad + ":5:15: security.allow_list[0]: expected a CIDR block or address like"
                            + " 10.0.0.0/8 or fd00::/8, got \"10.0.0.1/8\" (host bits are set; did you mean 10.0.0.0/8?)");
        }
        Run syntax = run("config", "validate", write("syntax.toml", "[global\n").toString());
        assertThat(syntax.exit()).isEqualTo(2);
        assertThat(syntax.err()).startsWith("village: " + dir.resolve("syntax.toml") + ":1:").contains("syntax error")
                .doesNotContain("\tat ");

        Run missing = run("config", "validate", "nope.toml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("village: " + dir.resolve("nope.toml") + ": no such file" + System.lineSeparator());

        Run both = run("config", "validate", bad.toString(), "--config", bad.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
    }

    @Test
    void validateWithoutAFileChecksDefaults() {
        Run r = run("config", "validate");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("defaults (no configuration file): valid" + System.lineSeparator());
    }

    @Test
    void showFollowsTheLoadOrderAndRedactsSecrets() throws Exception {
        Path flag = write("flag.toml", "[storage.twin_vault]\npassphrase = \"open sesame\"\n[network.dtn]\nspray_copies = 11\n");
        Path env = write("env.toml", "[network.dtn]\nspray_copies = 22\n");
        write("village.toml", "[network.dtn]\nspray_copies = 33\n");
        CliSupport.Environment withEnv = new CliSupport.Environment(Map.of(ConfigLoader.ENV_VAR, env.toString()), dir);

        Run r = run(withEnv, "config", "show", "--config", flag.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("spray_copies = 11").contains("passphrase = \"<redacted>\"")
                .doesNotContain("open sesame").startsWith("# Effective configuration from " + flag + " (--config)");
        assertThat(ConfigLoader.validate(r.out(), "shown")).isEmpty();

        assertThat(run(withEnv, "config", "show").out()).contains("spray_copies = 22").contains("(VILLAGE_CONFIG)");
        assertThat(run("config", "show").out()).contains("spray_copies = 33");
        Files.delete(dir.resolve("village.toml"));
        assertThat(run("config", "show").out()).contains("spray_copies = 6").contains("defaults");
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
