package org.aivillage.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.id.PeerId;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Village.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void generateThenShow() throws Exception {
        Path file = dir.resolve("node.key");
        assertThat(run("keys", "generate", "--type", "ed25519", "--out", file.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] pub = KeyFiles.read(file).publicKey();
        String pubHex = HexFormat.of().formatHex(pub);
        String peerIdHex = "1220" + HexFormat.of().formatHex(Hashes.sha256(pub));
        String peerId = PeerId.fromPublicKey(pub).toString();
        assertThat(out.toString()).contains("wrote " + file, "public key: " + pubHex, peerId, peerIdHex);

        assertThat(run("keys", "show", file.toString())).isZero();
        assertThat(out.toString()).contains("type:        ed25519", "public key:  " + pubHex, "peer id:     " + peerId,
                "  hex:       " + peerIdHex, "betanet id:  betanet://" + HexFormat.of().formatHex(Hashes.sha256(pub)),
                "protection:  none");
    }

    @Test
    void passphraseProtectedKeys() throws Exception {
        Path file = dir.resolve("secret.key");
        Path pw = dir.resolve("pw.txt");
        Files.writeString(pw, "open sesame\n");
        assertThat(run("keys", "generate", "--out", file.toString(), "--passphrase-file", pw.toString())).isZero();
        assertThat(out.toString()).contains("passphrase-protected");
        assertThat(run("keys", "show", file.toString())).isZero();
        assertThat(out.toString()).contains("type:        x25519", "argon2id (65536 KiB, t=3, p=4)");
        assertThat(run("keys", "show", file.toString(), "--passphrase-file", pw.toString())).isZero();
        assertThat(out.toString()).contains("decrypted and matches");

        Files.writeString(pw, "wrong\n");
        assertThat(run("keys", "show", file.toString(), "--passphrase-file", pw.toString()))
                .isEqualTo(KeysCommand.EXIT_PASSPHRASE);
        assertThat(err.toString()).contains("wrong passphrase");
    }

    @Test
    void errorsAreClearAndHaveExitCodes() throws Exception {
        Path file = dir.resolve("k.key");
        assertThat(run("keys", "generate", "--out", file.toString())).isZero();
        assertThat(run("keys", "generate", "--out", file.toString())).isEqualTo(KeysCommand.EXIT_FILE);
        assertThat(err.toString()).contains("already exists", "--force");
        assertThat(run("keys", "generate", "--out", file.toString(), "--force")).isZero();

        assertThat(run("keys", "generate", "--type", "rsa", "--out", dir.resolve("r.key").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key type 'rsa'");

        assertThat(run("keys", "show", dir.resolve("missing.key").toString())).isEqualTo(KeysCommand.EXIT_FILE);
        assertThat(err.toString()).contains("missing.key", "cannot read");

        Files.writeString(dir.resolve("bad.key"), "betanet-key-file: 1\ntype: x25519\npublic-key: 00\n");
        assertThat(run("keys", "show", dir.resolve("bad.key").toString())).isEqualTo(KeysCommand.EXIT_FILE);
        assertThat(err.toString()).contains("line 3", "public-key");

        assertThat(run("keys", "generate", "--ask", "--passphrase-file", "x", "--out", "y")).isEqualTo(2);
        assertThat(run("keys", "show", file.toString(), "--passphrase-file", dir.resolve("nope").toString()))
                .isEqualTo(KeysCommand.EXIT_PASSPHRASE);
    }
}
