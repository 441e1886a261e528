package org.aivillage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code village} command: one launcher for every daemon and tool of AIVillage. */
@Command(
        name = "village",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "AIVillage for Java: BetaNet mixnet, BitChat mesh, DTN, agents, twin vault.",
        subcommands = {CommandLine.HelpCommand.class, org.aivillage.cli.dtn.DtnCommand.class})
public final class Village implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new Village()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
