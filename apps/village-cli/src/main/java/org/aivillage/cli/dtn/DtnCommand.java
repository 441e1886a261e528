package org.aivillage.cli.dtn;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code village dtn}: run a Bundle Protocol v7 node and talk to it. */
@Command(name = "dtn", mixinStandardHelpOptions = true,
        description = "Delay-tolerant networking: Bundle Protocol v7 node (RFC 9171) over TCPCLv4.",
        subcommands = {DtnNodeCommand.class, DtnSendCommand.class, DtnStatusCommand.class, DtnRecvCommand.class})
public final class DtnCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
