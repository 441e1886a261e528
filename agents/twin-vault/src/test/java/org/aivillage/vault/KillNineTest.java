package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real child process writes; SIGKILL it mid-stream; every acknowledged write must be there. */
class KillNineTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        byte[] key = Randomness.bytes(32);
        Path dir = tmp.resolve("vault");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillWriter.class.getName(),
                dir.toString(), HexFormat.of().formatHex(key))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, Long> acked = new HashMap<>();
        int acks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks < 400 && (line = r.readLine()) != null) {
                if (!line.startsWith("ACK ")) {
                    continue;
                }
                String[] f = line.split(" ");
                acked.merge(f[1], Long.parseLong(f[2]), Math::max);
                acks++;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acks).as("the child acknowledged writes before it was killed").isEqualTo(400);
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        VaultConfig cfg = new VaultConfig(dir, new MasterKeySource.RawKey(key), true, true);
        try (TwinVault v = TwinVault.open(cfg)) {
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                DigitalTwin t = v.getTwin("w", e.getKey());
                assertThat(t.version()).as("twin %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
                if (e.getKey().startsWith("t")) {
                    assertThat(t.data()).startsWith("{\"i\":" + e.getKey().substring(1) + ",");
                }
            }
            VerifyReport report = v.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(v.verifyAuditLog().problems()).isEmpty();
            List<TwinSummary> all = v.listTwinsForUser("w");
            assertThat(all.size()).isGreaterThanOrEqualTo(acked.size());
        }
    }
}
