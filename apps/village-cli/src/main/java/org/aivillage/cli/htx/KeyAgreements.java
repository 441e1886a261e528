package org.aivillage.cli.htx;

import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.config.UserException;

final class KeyAgreements {
    private KeyAgreements() {}

    /** auto (null: by date), x25519, hybrid. */
    static KeyAgreement parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> null;
            case "x25519", "classic" -> KeyAgreement.X25519;
            case "hybrid" -> KeyAgreement.HYBRID_X25519_MLKEM768;
            default -> throw new UserException("--key-agreement must be auto, x25519 or hybrid, not '" + s + "'");
        };
    }
}
