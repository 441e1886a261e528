package org.aivillage.betanet.client;

import java.util.List;

/**
 * What a circuit is: its id, the mix hops of the forward and the reply route (route id prefixes),
 * the gateway and service, the anonymity level, and how its hops were chosen (epoch, whether the
 * beacon fallback was used, the VRF candidate index).
 */
public record CircuitInfo(String id, List<String> forwardHops, List<String> replyHops, String gateway, String service,
                          AnonymityLevel level, long epoch, boolean fallbackBeacon, int vrfCandidate) {
    public CircuitInfo {
        forwardHops = List.copyOf(forwardHops);
        replyHops = List.copyOf(replyHops);
    }
}
