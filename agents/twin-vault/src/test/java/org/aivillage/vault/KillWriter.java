package org.aivillage.vault;

import java.nio.file.Path;
import java.util.HexFormat;

/** Child process of {@link KillNineTest}: writes forever, printing each acknowledged write. */
public final class KillWriter {
    public static void main(String[] args) {
        VaultConfig cfg = new VaultConfig(Path.of(args[0]), new MasterKeySource.RawKey(HexFormat.of().parseHex(args[1])), true, true);
        try (TwinVault v = TwinVault.open(cfg)) {
            v.storeTwin("w", DigitalTwin.create("counter", "w", "{\"n\":0}", PrivacyLevel.PRIVATE));
            System.out.println("ACK counter 1");
            for (int i = 0; ; i++) {
                v.storeTwin("w", DigitalTwin.create("t" + i, "w", "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(i % 300) + "\"}", PrivacyLevel.PRIVATE));
                System.out.println("ACK t" + i + " 1");
                DigitalTwin c = v.getTwin("w", "counter");
                DigitalTwin next = v.updateTwin("w", c.withData("{\"n\":" + (c.version()) + "}")).twin();
                System.out.println("ACK counter " + next.version());
                System.out.flush();
            }
        }
    }
}
