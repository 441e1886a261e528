package org.aivillage.cli.vault;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code village vault}: the encrypted, versioned digital-twin store. */
@Command(
        name = "vault",
        mixinStandardHelpOptions = true,
        description = {"Encrypted, versioned digital-twin store: twins, access grants, signed receipts, backups, sync.",
            "Every command that touches a twin names the acting user with --as."},
        subcommands = {
            VaultCommands.Put.class, VaultCommands.Get.class, VaultCommands.History.class, VaultCommands.Grant.class,
            VaultCommands.Revoke.class, VaultCommands.ListTwins.class, VaultCommands.Delete.class, VaultCommands.Backup.class,
            VaultCommands.Restore.class, VerifyReceipt.class, VaultCommands.Receipts.class, VaultCommands.Keygen.class,
            VaultCommands.Info.class, VaultCommands.Check.class, VaultCommands.DeviceAdd.class, VaultCommands.SyncNow.class,
            VaultCommands.Serve.class})
public final class VaultCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
