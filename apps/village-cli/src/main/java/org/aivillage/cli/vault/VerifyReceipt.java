package org.aivillage.cli.vault;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.cli.CliSupport;
import org.aivillage.config.UserException;
import org.aivillage.vault.Receipt;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.VaultException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code village vault verify-receipt FILE}: checks a receipt's COSE_Sign1 signature and prints it.
 * Exit 0 when valid (and signed by the pinned key, if one was given), 3 when not, 2 for usage errors.
 */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
        description = {"Verify a signed audit receipt (COSE_Sign1, Ed25519) and print what it records.",
            "FILE holds the receipt as CBOR bytes or as hex text (- reads standard input)."})
final class VerifyReceipt implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The receipt (binary COSE_Sign1 or hex).")
    String file;

    @Option(names = "--public-key", paramLabel = "HEX", description = "The vault device key the receipt must be signed by.")
    String publicKey;

    @Option(names = "--vault", paramLabel = "DIR", description = "Take the expected signer from this vault (no master key needed).")
    Path vault;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliSupport.Environment env = CliSupport.environment(spec);
        byte[] raw;
        try {
            raw = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(env.resolve(Path.of(file)));
        } catch (IOException e) {
            throw new UserException("vault verify-receipt: cannot read " + file + ": " + e.getMessage(), e);
        }
        byte[] bytes = maybeHex(raw);
        Receipt r;
        try {
            r = Receipt.decode(bytes);
        } catch (CodecException e) {
            err.println("INVALID: not a receipt: " + e.getMessage());
            return VaultCommands.EXIT_VERIFY_FAILED;
        }
        byte[] expected;
        try {
            expected = publicKey != null ? HexFormat.of().parseHex(publicKey.strip())
                    : vault != null ? TwinVault.readDevicePublicKey(env.resolve(vault)) : null;
        } catch (IllegalArgumentException | VaultException e) {
            throw new UserException("vault verify-receipt: cannot get the expected signer: " + e.getMessage(), e);
        }
        HexFormat hex = HexFormat.of();
        out.println("receipt   #" + r.seq() + " of vault " + hex.formatHex(r.vaultId()));
        out.println("time      " + r.time());
        out.println("actor     " + r.actor());
        out.println("operation " + r.operation() + (r.twinId() == null ? "" : " on twin '" + r.twinId() + "'")
                + (r.version() == null ? "" : " version " + r.version()));
        out.println("outcome   " + r.outcome() + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        out.println("previous  " + hex.formatHex(r.previousHash()));
        out.println("signer    " + hex.formatHex(r.signer()));
        if (!r.verifySignature(r.signer())) {
            out.println("INVALID: the signature does not verify");
            return VaultCommands.EXIT_VERIFY_FAILED;
        }
        if (expected != null && !Arrays.equals(expected, r.signer())) {
            out.println("INVALID: signed by " + hex.formatHex(r.signer()) + ", not by the expected key " + hex.formatHex(expected));
            return VaultCommands.EXIT_VERIFY_FAILED;
        }
        out.println(expected != null ? "VALID: signature verifies under the expected vault key"
                : "VALID: signature verifies under the signer key above (pass --public-key or --vault to pin it)");
        return 0;
    }

    private static byte[] maybeHex(byte[] raw) {
        String s = new String(raw, StandardCharsets.US_ASCII).strip();
        if (!s.isEmpty() && s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(s);
        }
        return raw;
    }
}
