package org.aivillage.cli.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.aivillage.cli.CliSupport;
import org.aivillage.config.ConfigError;
import org.aivillage.config.ConfigLoader;
import org.aivillage.config.ConfigRenderer;
import org.aivillage.config.LoadedConfig;
import org.aivillage.config.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code village config init|show|validate}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {"Create, show and check the configuration file.",
            "Load order: --config FILE, then $VILLAGE_CONFIG, then ./village.toml, then built-in defaults."},
        subcommands = {ConfigCommand.Init.class, ConfigCommand.Show.class, ConfigCommand.Validate.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write a commented configuration file with every key at its default.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "FILE", description = "File to write (default: village.toml).")
        Path file;

        @CommandLine.Option(names = "--force", description = "Overwrite FILE if it exists.")
        boolean force;

        @Override
        public Integer call() {
            Path target = CliSupport.environment(spec).resolve(file == null ? Path.of(ConfigLoader.DEFAULT_FILE_NAME) : file);
            String text = ConfigRenderer.defaultFile();
            List<ConfigError> problems = ConfigLoader.validate(text, target.toString());
            if (!problems.isEmpty()) {
                throw new IllegalStateException("generated default file does not validate: " + problems.getFirst());
            }
            if (Files.exists(target) && !force) {
                throw new UserException(target + " exists; use --force to overwrite it");
            }
            if (Files.isDirectory(target)) {
                throw new UserException(target + " is a directory");
            }
            write(target, text);
            spec.commandLine().getOut().println("wrote " + target);
            return CliSupport.EXIT_OK;
        }

        /** Writes via a temporary file in the same directory so a crash never leaves half a file. */
        private void write(Path target, String text) {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = null;
            try {
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, ".village-", ".toml.tmp");
                Files.writeString(tmp, text);
                if (!force && Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (FileAlreadyExistsException e) {
                throw new UserException(target + " exists; use --force to overwrite it");
            } catch (IOException e) {
                throw new UserException("cannot write " + target + ": " + e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: the temporary file is hidden and harmless
                    }
                }
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration as TOML (secrets redacted).")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption configOption;

        @Override
        public Integer call() {
            LoadedConfig loaded = configOption.load();
            PrintWriter out = spec.commandLine().getOut();
            out.print(ConfigRenderer.toToml(loaded.config(),
                    "Effective configuration from " + loaded.describe() + ". Secrets are redacted."));
            out.flush();
            return CliSupport.EXIT_OK;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a configuration file: print \"valid\" (exit 0) or every problem (exit 2).",
                "Without FILE, checks the file the load order finds."})
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check.")
        Path file;

        @CommandLine.Mixin
        ConfigOption configOption;

        @Override
        public Integer call() {
            if (file != null && configOption.file().isPresent()) {
                throw new UserException("name the file either as FILE or with --config, not both");
            }
            String what;
            if (file != null) {
                Path p = CliSupport.environment(spec).resolve(file);
                ConfigLoader.read(p);
                what = p.toString();
            } else {
                what = configOption.load().describe();
            }
            spec.commandLine().getOut().println(what + ": valid");
            return CliSupport.EXIT_OK;
        }
    }
}
