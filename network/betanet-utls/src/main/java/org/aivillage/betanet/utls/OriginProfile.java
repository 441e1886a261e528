package org.aivillage.betanet.utls;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one calibration probe observed of the front origin with a given template.
 *
 * @param alpn the ALPN protocol the origin selected (empty if none)
 * @param h2Settings the origin's HTTP/2 SETTINGS in the order sent (identifier → value); empty unless ALPN is h2
 * @param cipherSuite the TLS 1.3 suite the origin chose
 * @param namedGroup the key-exchange group the origin chose
 * @param ja4s the JA4S fingerprint of the origin's ServerHello
 * @param helloRetryRequest whether the origin asked for another key share
 */
public record OriginProfile(
        Optional<String> alpn,
        Map<Integer, Long> h2Settings,
        int cipherSuite,
        int namedGroup,
        String ja4s,
        boolean helloRetryRequest,
        Instant observedAt) {

    public OriginProfile {
        h2Settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(h2Settings));
    }

    /** HTTP/2 SETTINGS identifiers (RFC 9113 §6.5.2). */
    public static final int HEADER_TABLE_SIZE = 1;
    public static final int ENABLE_PUSH = 2;
    public static final int MAX_CONCURRENT_STREAMS = 3;
    public static final int INITIAL_WINDOW_SIZE = 4;
    public static final int MAX_FRAME_SIZE = 5;
    public static final int MAX_HEADER_LIST_SIZE = 6;
}
