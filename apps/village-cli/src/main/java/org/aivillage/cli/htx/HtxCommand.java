package org.aivillage.cli.htx;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code village htx}: the HTX cover transport from the command line. */
@Command(
        name = "htx",
        mixinStandardHelpOptions = true,
        description = {
            "HTX cover transport (Betanet 1.1 §5): TLS 1.3 outside, access ticket, Noise XK inside.",
            "Two terminals: 'village htx serve' prints the matching 'village htx connect' line; then",
            "what you type in one terminal comes out of the other."
        },
        subcommands = {HtxServeCommand.class, HtxConnectCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:connection or handshake failed", "2:usage error", "3:ticket rejected (decoy served)"})
public final class HtxCommand implements Runnable {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_TICKET_REJECTED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
