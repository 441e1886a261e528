package org.aivillage.betanet.client;

import java.util.Optional;

/**
 * The public randomness of an hourly epoch for path selection (Betanet 1.1 §7.2): the XOR of the
 * drand, NIST Randomness Beacon v2 and Ethereum finalized-block values (32 bytes each). Empty when
 * none can be reached; the client then uses the spec's logged fallback.
 */
@FunctionalInterface
public interface BeaconSource {
    Optional<byte[]> beaconSet(long epoch);

    /** No beacon reachable: always the fallback. */
    BeaconSource NONE = epoch -> Optional.empty();
}
