package org.aivillage.betanet.htx;

import java.time.Duration;
import java.util.Objects;

/**
 * When a sender switches to the next inner key (Betanet 1.1 §5.3): after {@code maxBytes} of
 * plaintext, {@code maxFrames} frames (the KEY_UPDATE included) or {@code maxAge} under one key,
 * per direction, whichever comes first. The defaults are the specification's; tests lower them
 * to force thousands of rekeys.
 */
public record RekeyPolicy(long maxBytes, long maxFrames, Duration maxAge) {
    /** 8 GiB, 2^16 frames, 1 hour. */
    public static final RekeyPolicy DEFAULT = new RekeyPolicy(8L << 30, 1L << 16, Duration.ofHours(1));

    public RekeyPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (maxFrames < 2 || maxFrames > (1L << 32)) {
            throw new IllegalArgumentException("maxFrames must be 2..2^32 (one frame per key is the KEY_UPDATE itself)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
    }
}
