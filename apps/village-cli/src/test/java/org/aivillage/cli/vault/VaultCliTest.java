package org.aivillage.cli.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The vault commands end to end, in process, on a temporary vault. */
class VaultCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    Map<String, String> env = Map.of();

    Run village(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Village.commandLine(new CliSupport.Environment(env, tmp));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Run vault(String... args) {
        List<String> all = new ArrayList<>(List.of("vault"));
        all.add(args[0]);
        all.addAll(List.of("--vault", tmp.resolve("v").toString(), "--key-file", tmp.resolve("k.key").toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return village(all.toArray(String[]::new));
    }

    @Test
    void putGetGrantListHistoryBackupRestoreAndVerifyReceipt() throws Exception {
        assertThat(village("vault", "keygen", tmp.resolve("k.key").toString()).code()).isZero();
        Path receipt = tmp.resolve("r.cose");
        Run put = vault("put", "--as", "alice", "--id", "t", "--data", "{\"b\":1,\"a\":2}", "--receipt-out", receipt.toString());
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).contains("version 1 stored");
        assertThat(vault("put", "--as", "alice", "--id", "t", "--data", "{\"a\":3}").out()).contains("version 2");
        Run conflict = vault("put", "--as", "alice", "--id", "t", "--data", "{}", "--expect-version", "1");
        assertThat(conflict.code()).isEqualTo(2);
        assertThat(conflict.err()).contains("version conflict on twin 't'");
        assertThat(vault("get", "--as", "alice", "--id", "t").out().strip()).isEqualTo("{\"a\":3}");
        assertThat(vault("get", "--as", "alice", "--id", "t", "--version", "1").out().strip()).isEqualTo("{\"a\":2,\"b\":1}");
        Run denied = vault("get", "--as", "bob", "--id", "t");
        assertThat(denied.code()).isEqualTo(2);
        assertThat(denied.err()).contains("village: vault get: user 'bob' may not read twin 't': no access grant");
        assertThat(vault("grant", "--as", "alice", "--id", "t", "--to", "bob", "--ops", "read", "--for", "1h").code()).isZero();
        assertThat(vault("list", "--as", "bob").out()).contains("t ").contains("alice");
        assertThat(vault("history", "--as", "bob", "--id", "t").out()).contains("VERSION").contains("alice");
        String backup = vault("backup").out().strip();
        assertThat(Path.of(backup)).exists();
        assertThat(vault("revoke", "--as", "alice", "--id", "t", "--user", "bob").code()).isZero();
        assertThat(vault("get", "--as", "bob", "--id", "t").code()).isEqualTo(2);
        assertThat(vault("restore", backup).code()).isZero();
        assertThat(vault("get", "--as", "bob", "--id", "t").out().strip()).isEqualTo("{\"a\":3}");

        Run ok = village("vault", "verify-receipt", receipt.toString(), "--vault", tmp.resolve("v").toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("operation store on twin 't' version 1").contains("VALID");
        byte[] tampered = Files.readAllBytes(receipt);
        tampered[tampered.length - 70] ^= 1;
        Files.write(receipt, tampered);
        Run bad = village("vault", "verify-receipt", receipt.toString(), "--vault", tmp.resolve("v").toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.out() + bad.err()).contains("INVALID");
        assertThat(vault("check").code()).isZero();
    }

    @Test
    void theVaultAndItsKeyComeFromTheConfigFile() throws Exception {
        assertThat(village("vault", "keygen", "k.key").code()).isZero();
        Files.writeString(tmp.resolve("village.toml"), "[global]\ndata_dir = \"" + tmp.resolve("data") + "\"\n"
                + "[storage.twin_vault]\nkey_file = \"" + tmp.resolve("k.key") + "\"\ncompression = false\n");
        Run put = village("vault", "put", "--as", "a", "--id", "t", "--data", "{\"x\":1}");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(tmp.resolve("data/twin-vault/vault.db")).exists();
        assertThat(village("vault", "get", "--as", "a", "--id", "t").out().strip()).isEqualTo("{\"x\":1}");
        Files.writeString(tmp.resolve("village.toml"), "[global]\ndata_dir = \"" + tmp.resolve("data") + "\"\n");
        Run noKey = village("vault", "get", "--as", "a", "--id", "t");
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("no vault key");
    }

    @Test
    void aPassphraseFromTheEnvironmentProtectsTheVault() {
        env = Map.of("VAULT_PASS", "correct horse battery staple", "OTHER", "wrong");
        Run put = village("vault", "put", "--vault", "pv", "--passphrase-env", "VAULT_PASS", "--as", "a", "--id", "t", "--data", "{\"p\":1}");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(village("vault", "get", "--vault", "pv", "--passphrase-env", "VAULT_PASS", "--as", "a", "--id", "t").out().strip())
                .isEqualTo("{\"p\":1}");
        Run wrong = village("vault", "get", "--vault", "pv", "--passphrase-env", "OTHER", "--as", "a", "--id", "t");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("wrong passphrase");
    }

    @Test
    void infoPrintsTheDeviceCardThatDeviceAddTakes() {
        assertThat(village("vault", "keygen", tmp.resolve("k.key").toString()).code()).isZero();
        assertThat(village("vault", "keygen", tmp.resolve("k2.key").toString()).code()).isZero();
        Run info = village("vault", "info", "--vault", tmp.resolve("other").toString(), "--key-file", tmp.resolve("k2.key").toString());
        assertThat(info.code()).as(info.err()).isZero();
        String card = info.out().lines().filter(l -> l.startsWith("device card ")).findFirst().orElseThrow()
                .substring("device card ".length()).strip();
        assertThat(card).hasSize(256);
        Run add = vault("device-add", "--as", "alice", "--device", card, "--label", "laptop");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("added for alice");
        String forged = card.substring(0, 100) + (card.charAt(100) == '0' ? '1' : '0') + card.substring(101);
        Run bad = vault("device-add", "--as", "alice", "--device", forged);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("device card", "signature");
    }

    @Test
    void wrongKeyIsOneClearLine() {
        assertThat(village("vault", "keygen", tmp.resolve("k.key").toString()).code()).isZero();
        assertThat(vault("put", "--as", "a", "--id", "t", "--data", "{}").code()).isZero();
        assertThat(village("vault", "keygen", tmp.resolve("other.key").toString()).code()).isZero();
        Run r = village("vault", "get", "--vault", tmp.resolve("v").toString(), "--key-file", tmp.resolve("other.key").toString(),
                "--as", "a", "--id", "t");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("wrong master key");
    }
}
