package org.aivillage.betanet.htx;

import java.time.Clock;
import java.time.Instant;

/**
 * The inner key agreement (Betanet 1.1 §5.3). {@link #X25519}: Noise XK alone.
 * {@link #HYBRID_X25519_MLKEM768}: Noise XK plus an ML-KEM-768 exchange carried in the handshake
 * payloads and mixed into the inner keys; mandatory from 2027-01-01.
 *
 * <p>Negotiation: a client set to HYBRID offers an ML-KEM key and fails unless the server
 * accepts it; a client set to X25519 offers none. A server set to HYBRID refuses clients that
 * offer none (with an explicit error the client reports); a server set to X25519 still accepts
 * an offered ML-KEM key. So HYBRID on either side yields hybrid, except an X25519 client meeting
 * a HYBRID server, which fails clearly.
 */
public enum KeyAgreement {
    X25519,
    HYBRID_X25519_MLKEM768;

    /** The specification date from which the hybrid is the default (and required). */
    public static final Instant HYBRID_DEFAULT_FROM = Instant.parse("2027-01-01T00:00:00Z");

    /** The default at {@code now}: hybrid from 2027-01-01, X25519 before. */
    public static KeyAgreement defaultAt(Instant now) {
        return now.isBefore(HYBRID_DEFAULT_FROM) ? X25519 : HYBRID_X25519_MLKEM768;
    }

    public static KeyAgreement defaultFor(Clock clock) {
        return defaultAt(clock.instant());
    }
}
