package org.aivillage.cli.keys;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.aivillage.betanet.id.BetanetId;
import org.aivillage.betanet.id.PeerId;
import org.aivillage.betanet.keys.KeyFileContents;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.TypedKeyPair;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code village keys show FILE}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {
            "Print a key file's type, public key and PeerID. Needs no passphrase;",
            "with --passphrase-file or --ask it also decrypts the private key and checks it matches."
        })
public final class ShowKeyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The key file.")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Passphrases passphrase;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KeyFileContents c;
        try {
            c = KeyFiles.read(file);
        } catch (KeyFileException e) {
            err.println("village keys show: " + e.getMessage());
            return KeysCommand.EXIT_FILE;
        }
        byte[] pub = c.publicKey();
        o.println("file:        " + file);
        o.println("type:        " + c.type().fileName());
        o.println("public key:  " + HexFormat.of().formatHex(pub));
        o.println("  base64url: " + Base64.getUrlEncoder().withoutPadding().encodeToString(pub));
        PeerId id = PeerId.fromPublicKey(pub);
        o.println("peer id:     " + id);
        o.println("  hex:       " + id.toHex() + " (multihash 0x12 0x20 || SHA-256(public key))");
        o.println("betanet id:  " + BetanetId.forPublicKey(pub));
        o.println("protection:  " + switch (c.protection()) {
            case KeyFileContents.Plain p -> "none (file mode 0600 only)";
            case KeyFileContents.Encrypted e -> "argon2id (" + e.kdf().memoryKib() + " KiB, t=" + e.kdf().iterations()
                    + ", p=" + e.kdf().parallelism() + ") + xchacha20-poly1305";
        });
        if (passphrase != null) {
            char[] pw;
            try {
                pw = passphrase.read(false);
            } catch (Passphrases.PassphraseException e) {
                err.println("village keys show: " + e.getMessage());
                return KeysCommand.EXIT_PASSPHRASE;
            }
            try {
                TypedKeyPair key = KeyFiles.unprotect(c, pw);
                key.destroy();
                o.println("private key: decrypted and matches the public key");
            } catch (KeyFileException e) {
                err.println("village keys show: " + file + ": " + e.getMessage());
                return e.reason() == KeyFileException.Reason.MALFORMED ? KeysCommand.EXIT_FILE : KeysCommand.EXIT_PASSPHRASE;
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
        return 0;
    }
}
