package org.aivillage.cli.keys;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.aivillage.betanet.id.PeerId;
import org.aivillage.betanet.keys.Argon2Parameters;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code village keys generate}. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generate a key pair and save it to a key file (mode 0600, written atomically).",
            "With --passphrase-file or --ask the private key is encrypted (Argon2id 64 MiB, t=3, p=4 + XChaCha20-Poly1305)."
        })
public final class GenerateKeyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--type", defaultValue = "x25519", paramLabel = "x25519|ed25519",
            description = "Key type (default: ${DEFAULT-VALUE}; x25519 for Noise static keys, ed25519 for signatures).")
    String type;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the key (default: ./<type>.key).")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Passphrases passphrase;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KeyType keyType;
        try {
            keyType = KeyType.fromName(type);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path file = out != null ? out : Path.of(keyType.fileName() + ".key");
        char[] pw = null;
        try {
            pw = passphrase == null ? null : passphrase.read(true);
        } catch (Passphrases.PassphraseException e) {
            err.println("village keys generate: " + e.getMessage());
            return KeysCommand.EXIT_PASSPHRASE;
        }
        TypedKeyPair key = TypedKeyPair.generate(keyType);
        try {
            KeyFiles.save(file, key, pw, Argon2Parameters.DEFAULT, force);
        } catch (KeyFileException e) {
            err.println("village keys generate: " + e.getMessage()
                    + (e.reason() == KeyFileException.Reason.ALREADY_EXISTS ? " (use --force to replace it)" : ""));
            return KeysCommand.EXIT_FILE;
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
        byte[] pub = key.publicKey();
        key.destroy();
        o.println("wrote " + file + " (" + keyType.fileName() + ", "
                + (pw != null ? "passphrase-protected" : "unprotected, mode 0600") + ")");
        o.println("public key: " + HexFormat.of().formatHex(pub));
        PeerId id = PeerId.fromPublicKey(pub);
        o.println("peer id:    " + id + " (hex " + id.toHex() + ")");
        return 0;
    }
}
