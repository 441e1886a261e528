package org.aivillage.betanet.client;

/**
 * Betanet 1.1 §7 privacy modes: the least number of mix hops a circuit may have.
 * STRICT: every stream through at least 3 hops. BALANCED (default): at least 2 (the spec's "until
 * peer trust ≥ 0.8" relaxation is not applied: this client keeps no trust scores). PERFORMANCE: no
 * mixing required, unless the destination label ends in ".mixreq", which gets the BALANCED minimum.
 */
public enum PrivacyMode {
    STRICT(3), BALANCED(2), PERFORMANCE(0);

    private final int minHops;

    PrivacyMode(int minHops) {
        this.minHops = minHops;
    }

    /** The minimum number of mix hops for a destination (service) label. */
    public int minHops(String destinationLabel) {
        if (this == PERFORMANCE && destinationLabel != null && destinationLabel.endsWith(".mixreq")) {
            return BALANCED.minHops;
        }
        return minHops;
    }
}
