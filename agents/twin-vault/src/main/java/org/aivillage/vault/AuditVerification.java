package org.aivillage.vault;

import java.util.List;

/**
 * The result of {@link TwinVault#verifyAuditLog()}: how many receipts were checked and every
 * problem found (bad signature, wrong signer, a gap in sequence numbers, a broken hash chain).
 */
public record AuditVerification(long receipts, List<String> problems) {
    public AuditVerification {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
