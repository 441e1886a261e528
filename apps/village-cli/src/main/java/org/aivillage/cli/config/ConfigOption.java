package org.aivillage.cli.config;

import java.nio.file.Path;
import java.util.Optional;
import org.aivillage.cli.CliSupport;
import org.aivillage.config.ConfigLoader;
import org.aivillage.config.LoadedConfig;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.LoggingSetup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --config FILE} option, as a picocli mixin every daemon command reuses:
 *
 * <pre>{@code
 * @Command(name = "dtn", description = "Run a DTN node.")
 * final class DtnCommand implements Callable<Integer> {
 *     @Mixin ConfigOption configOption;
 *     public Integer call() throws Exception {
 *         VillageConfig config = configOption.loadForDaemon();   // load order + [logging]
 *         try (DaemonRuntime rt = DaemonRuntime.start("dtn", config)) { ...; rt.awaitShutdown(); }
 *         return 0;
 *     }
 * }
 * }</pre>
 *
 * Loading throws {@link org.aivillage.config.ConfigException}, which the CLI reports as one line
 * per problem and exit code 2.
 */
public final class ConfigOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: $VILLAGE_CONFIG, else ./village.toml, else built-in defaults).")
    Path file;

    /** The {@code --config} argument, if given. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Applies the load order: {@code --config}, {@code VILLAGE_CONFIG}, {@code ./village.toml}, defaults. */
    public LoadedConfig load() {
        CliSupport.Environment env = CliSupport.environment(mixee);
        return ConfigLoader.load(file, env.variables(), env.workingDirectory());
    }

    /** {@link #load()}, then sets up logging from {@code [logging]} (console = stderr) and logs the source. */
    public VillageConfig loadForDaemon() {
        LoadedConfig loaded = load();
        LoggingSetup.configure(loaded.config().logging(), LoggingSetup.Console.STDERR);
        LoggerFactory.getLogger(ConfigOption.class).atInfo().setMessage("configuration loaded")
                .addKeyValue("event", "config_loaded").addKeyValue("source", loaded.describe()).log();
        return loaded.config();
    }
}
