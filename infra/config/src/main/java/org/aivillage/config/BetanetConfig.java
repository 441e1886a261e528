package org.aivillage.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code [network.betanet]}: the mixnet / HTX transport. */
@Section(value = "network.betanet", doc = "BetaNet mixnet and HTX cover transport.")
public record BetanetConfig(
        @Key(doc = "Address the HTX listener binds to.", def = "0.0.0.0")
        @Format(Format.Kind.HOST)
        String listenAddress,

        @Key(doc = "TCP port of the HTX listener (0 = any free port).", def = "4443")
        @Range(min = 0, max = 65535)
        int listenPort,

        @Key(doc = "Topology mirrors of mixnodes (their --mirror-listen address) that 'village client send' fetches the "
                + "signed topology from when no --directory is given, as host:port.", def = "")
        @Format(Format.Kind.ENDPOINT)
        List<String> mixnodeEndpoints,

        @Key(doc = "Path selection policy: strict (most hops, full diversity), balanced, or performance.",
                def = "balanced")
        PrivacyMode privacyMode,

        @Key(doc = "Number of mixnodes per circuit.", def = "3")
        @Range(min = 1, max = 10)
        int circuitLength,

        @Key(doc = "Timeout for establishing one connection, in milliseconds.", def = "10000")
        @Range(min = 100, max = 600_000)
        int connectionTimeoutMs,

        @Key(doc = "How often a failed connection is retried before giving up.", def = "3")
        @Range(min = 0, max = 100)
        int retryAttempts,

        @Key(doc = "Upper bound on simultaneous connections.", def = "1024")
        @Range(min = 1, max = 1_000_000)
        int maxConnections,

        @Key(doc = "Send cover traffic so real traffic cannot be told apart by timing or volume.", def = "true")
        boolean coverTraffic,

        @Key(doc = "Mean per-hop mixing delay (Poisson), in milliseconds.", def = "50")
        @Range(min = 0, max = 60_000)
        int mixingDelayMs,

        @Key(doc = "PEM certificate chain of the outer TLS listener; unset = a self-signed certificate.")
        Optional<Path> tlsCertFile,

        @Key(doc = "PEM private key of the outer TLS listener; unset = a self-signed certificate.")
        Optional<Path> tlsKeyFile,

        @Key(doc = "Directory of the decoy site served to non-BetaNet visitors; unset = built-in page.")
        Optional<Path> decoyDir) {

    /** How circuits trade privacy against speed. */
    public enum PrivacyMode { STRICT, BALANCED, PERFORMANCE }

    public Duration connectionTimeout() {
        return Duration.ofMillis(connectionTimeoutMs);
    }

    public Duration mixingDelay() {
        return Duration.ofMillis(mixingDelayMs);
    }
}
