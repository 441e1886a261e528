package org.aivillage.cli.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code village keys}: generate and inspect X25519 / Ed25519 key files. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Generate and inspect key files (X25519 Noise keys, Ed25519 identity keys).",
        subcommands = {GenerateKeyCommand.class, ShowKeyCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:key file missing, unreadable, malformed or already there",
            "2:usage error",
            "3:passphrase missing, wrong or unreadable"})
public final class KeysCommand implements Runnable {
    public static final int EXIT_FILE = 1;
    public static final int EXIT_PASSPHRASE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
