package org.aivillage.cli;

import org.aivillage.cli.config.ConfigCommand;
import org.aivillage.cli.fabric.FabricCommand;
import org.aivillage.config.LoggingConfig;
import org.aivillage.config.daemon.LoggingSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code village} command: one launcher for every daemon and tool of AIVillage.
 * Errors are reported by {@link CliSupport}: user mistakes as one line and exit 2, bugs as one
 * line and exit 1 ({@code --verbose} or {@code VILLAGE_VERBOSE=1} for the stack trace).
 */
@Command(
        name = "village",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "AIVillage for Java: BetaNet mixnet, BitChat mesh, DTN, agents, twin vault.",
        subcommands = {
            org.aivillage.cli.demo.DemoCommand.class,
            ConfigCommand.class,
            org.aivillage.cli.keys.KeysCommand.class,
            org.aivillage.cli.htx.HtxCommand.class,
            org.aivillage.cli.utls.UtlsGenCommand.class,
            org.aivillage.cli.mixnet.MixnodeCommand.class,
            org.aivillage.cli.mixnet.DirectoryCommand.class,
            org.aivillage.cli.mixnet.GatewayCommand.class,
            org.aivillage.cli.mixnet.TestnetCommand.class,
            org.aivillage.cli.mixnet.ClientCommand.class,
            org.aivillage.cli.dtn.DtnCommand.class,
            org.aivillage.cli.bitchat.BitchatCommand.class,
            org.aivillage.cli.navigator.NavigatorCommand.class,
            FabricCommand.class,
            org.aivillage.cli.vault.VaultCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Village implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of unexpected errors (also VILLAGE_VERBOSE=1).")
    boolean verbose;

    private final CliSupport.Environment environment;

    public Village() {
        this(CliSupport.Environment.system());
    }

    Village(CliSupport.Environment environment) {
        this.environment = environment;
    }

    CliSupport.Environment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand, ready to execute. */
    public static CommandLine commandLine() {
        return commandLine(CliSupport.Environment.system());
    }

    /** The command line running in the given environment (tests pass their own). */
    public static CommandLine commandLine(CliSupport.Environment environment) {
        return new CommandLine(new Village(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(CliSupport::handleExecutionException)
                .setParameterExceptionHandler(CliSupport::handleParameterException);
    }

    public static void main(String[] args) {
        // Until a command reads [logging]: warnings and errors only, on stderr (stdout is for output).
        LoggingSetup.configureConsole(LoggingConfig.Level.WARN, LoggingSetup.Console.STDERR);
        System.exit(commandLine().execute(args));
    }
}
