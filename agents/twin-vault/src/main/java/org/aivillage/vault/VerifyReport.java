package org.aivillage.vault;

import java.util.List;

/**
 * The result of {@link TwinVault#verify()}: SQLite's integrity check and an attempt to decrypt
 * every stored version and change; {@code problems} names each twin (and version) that failed.
 */
public record VerifyReport(long twins, long versions, long changes, List<String> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
