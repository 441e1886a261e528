package org.aivillage.cli.bitchat;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code village bitchat}: the BitChat mesh. */
@Command(
        name = "bitchat",
        mixinStandardHelpOptions = true,
        description = "BitChat mesh messaging: a line-mode chat and a relay node.",
        subcommands = {ChatCommand.class, NodeCommand.class})
public final class BitchatCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
