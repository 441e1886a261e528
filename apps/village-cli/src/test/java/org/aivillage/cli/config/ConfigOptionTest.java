package org.aivillage.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.Village;
import org.aivillage.config.VillageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The --config mixin as a daemon command would use it. */
class ConfigOptionTest {
    @TempDir Path dir;

    @Command(name = "fake-daemon")
    static final class FakeDaemon implements Callable<Integer> {
        @CommandLine.Mixin ConfigOption configOption;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            VillageConfig config = configOption.loadForDaemon();
            spec.commandLine().getOut().println("admin_port=" + config.performance().adminPort());
            return 0;
        }
    }

    private String[] run(Map<String, String> env, String... args) {
        CommandLine cl = Village.commandLine(new CliSupport.Environment(env, dir));
        cl.addSubcommand(new FakeDaemon());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {Integer.toString(exit), out.toString().strip(), err.toString().strip()};
    }

    @Test
    void daemonCommandsGetTheLoadOrderAndUserErrors() throws Exception {
        Files.writeString(dir.resolve("a.toml"), "[performance]\nadmin_port = 9999\n");
        Files.writeString(dir.resolve("bad.toml"), "[performance]\nadmin_prot = 1\n");
        assertThat(run(Map.of(), "fake-daemon")).containsExactly("0", "admin_port=9180", "");
        assertThat(run(Map.of(), "fake-daemon", "--config", "a.toml")).containsExactly("0", "admin_port=9999", "");
        assertThat(run(Map.of("VILLAGE_CONFIG", "a.toml"), "fake-daemon")[1]).isEqualTo("admin_port=9999");
        assertThat(run(Map.of(), "fake-daemon", "--config", "bad.toml")).containsExactly("2", "",
                "village: " + dir.resolve("bad.toml") + ":2:1: performance.admin_prot: unknown key;"
                        + " did you mean performance.admin_port?");
    }
}
