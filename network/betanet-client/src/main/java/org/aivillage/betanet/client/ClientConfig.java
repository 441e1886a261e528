package org.aivillage.betanet.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.TopologySource;

/**
 * Client settings (the seed's ClientConfig): where the signed topology comes from and the authority
 * key it must be signed with, the default circuit length, connection timeout, retry attempts and the
 * overall request timeout, privacy mode, the client's AS group (for path diversity), identity
 * (Ed25519; also the VRF key), beacon source, link transport and whether to send cover traffic.
 */
public record ClientConfig(TopologySource topologySource, byte[] authorityKey, int circuitLength,
                           Duration connectionTimeout, int retryAttempts, Duration requestTimeout,
                           PrivacyMode privacyMode, int sourceAsGroup, KeyPair identity, BeaconSource beaconSource,
                           LinkTransport transport, boolean coverTraffic, Clock clock) {
    public ClientConfig {
        Objects.requireNonNull(topologySource, "topologySource");
        Objects.requireNonNull(transport, "transport");
        if (authorityKey == null || authorityKey.length != 32) {
            throw new IllegalArgumentException("authorityKey must be a 32-byte Ed25519 public key");
        }
        if (circuitLength < 0 || circuitLength > CircuitConfig.MAX_HOPS || retryAttempts < 0 || retryAttempts > 20) {
            throw new IllegalArgumentException("circuitLength 0..5, retryAttempts 0..20");
        }
        authorityKey = authorityKey.clone();
    }

    /** The same configuration over another link transport. */
    public ClientConfig withTransport(LinkTransport t) {
        return new ClientConfig(topologySource, authorityKey, circuitLength, connectionTimeout, retryAttempts,
                requestTimeout, privacyMode, sourceAsGroup, identity, beaconSource, t, coverTraffic, clock);
    }

    public static Builder builder(TopologySource source, byte[] authorityKey, LinkTransport transport) {
        return new Builder(source, authorityKey, transport);
    }

    /** Builder with defaults: 3 hops, 5 s connection timeout, 3 retries, 30 s request timeout, BALANCED. */
    public static final class Builder {
        private final TopologySource source;
        private final byte[] authorityKey;
        private final LinkTransport transport;
        private int circuitLength = 3;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private int retryAttempts = 3;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private PrivacyMode privacyMode = PrivacyMode.BALANCED;
        private int sourceAsGroup;
        private KeyPair identity;
        private BeaconSource beaconSource = BeaconSource.NONE;
        private boolean coverTraffic = true;
        private Clock clock = Clock.systemUTC();

        Builder(TopologySource source, byte[] authorityKey, LinkTransport transport) {
            this.source = source;
            this.authorityKey = authorityKey;
            this.transport = transport;
        }

        public Builder circuitLength(int v) { circuitLength = v; return this; }
        public Builder connectionTimeout(Duration v) { connectionTimeout = v; return this; }
        public Builder retryAttempts(int v) { retryAttempts = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder privacyMode(PrivacyMode v) { privacyMode = v; return this; }
        public Builder sourceAsGroup(int v) { sourceAsGroup = v; return this; }
        public Builder identity(KeyPair v) { identity = v; return this; }
        public Builder beaconSource(BeaconSource v) { beaconSource = v; return this; }
        public Builder coverTraffic(boolean v) { coverTraffic = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }

        public ClientConfig build() {
            return new ClientConfig(source, authorityKey, circuitLength, connectionTimeout, retryAttempts,
                    requestTimeout, privacyMode, sourceAsGroup, identity, beaconSource, transport, coverTraffic, clock);
        }
    }
}
