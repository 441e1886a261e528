package org.aivillage.betanet.mixnode;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.aivillage.betanet.crypto.KeyPair;

/**
 * Everything a mixnode (or the mixing core of a gateway) is configured with. Build with
 * {@link #builder}; every bound has a default.
 *
 * @param identity           Ed25519 identity key pair (its SHA-256 is the PeerID digest and the route id)
 * @param listen             where the link listener binds
 * @param advertisedAddress  host:port published in the topology
 * @param admin              admin HTTP bind (/health /ready /metrics), or null for none
 * @param topologySource     directory or file; a directory also receives this node's descriptor
 * @param authorityKey       the directory authority's Ed25519 public key
 * @param maxDelay           cap on sender-chosen per-hop delays
 * @param linkRate           packets/s allowed per link (burst {@code linkBurst})
 * @param sourceRate         packets/s allowed per source address (burst {@code sourceBurst})
 * @param loopRate           Loopix loop cover packets/s this node sends (Poisson)
 * @param dropRate           drop cover packets/s this node sends (Poisson)
 * @param coverDelayMean     mean of the exponential per-hop delay of the node's own cover packets
 */
public record MixnodeConfig(KeyPair identity, TopologyNode.Role role, int layer, int asGroup,
                            InetSocketAddress listen, String advertisedAddress, InetSocketAddress admin, Path dataDir,
                            TopologySource topologySource, byte[] authorityKey, Duration keyEpochLength,
                            Duration keyOverlap, Duration topologyRefresh, int processingThreads, int inboundQueue,
                            int delayQueue, Duration maxDelay, double linkRate, double linkBurst, double sourceRate,
                            double sourceBurst, double loopRate, double dropRate, Duration coverDelayMean,
                            int replayCapacityPerEpoch, Clock clock) {

    public MixnodeConfig {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(topologySource, "topologySource");
        if (authorityKey == null || authorityKey.length != 32) {
            throw new IllegalArgumentException("authorityKey must be a 32-byte Ed25519 public key");
        }
        if (processingThreads < 1 || inboundQueue < 1 || delayQueue < 1 || replayCapacityPerEpoch < 1) {
            throw new IllegalArgumentException("threads and queue bounds must be positive");
        }
        if (loopRate < 0 || dropRate < 0 || linkRate <= 0 || sourceRate <= 0) {
            throw new IllegalArgumentException("rates must be positive (cover rates >= 0)");
        }
    }

    public static Builder builder(KeyPair identity) {
        return new Builder(identity);
    }

    /** Builder with the defaults of a production mixnode. */
    public static final class Builder {
        private final KeyPair identity;
        private TopologyNode.Role role = TopologyNode.Role.MIX;
        private int layer = 1;
        private int asGroup;
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        private String advertisedAddress;
        private InetSocketAddress admin;
        private Path dataDir;
        private TopologySource topologySource;
        private byte[] authorityKey;
        private Duration keyEpochLength = Duration.ofHours(1);
        private Duration keyOverlap = Duration.ofMinutes(10);
        private Duration topologyRefresh = Duration.ofSeconds(60);
        private int processingThreads = Runtime.getRuntime().availableProcessors();
        private int inboundQueue = 65_536;
        private int delayQueue = 262_144;
        private Duration maxDelay = Duration.ofSeconds(30);
        private double linkRate = 50_000;
        private double linkBurst = 10_000;
        private double sourceRate = 100_000;
        private double sourceBurst = 20_000;
        private double loopRate = 0.5;
        private double dropRate = 0.5;
        private Duration coverDelayMean = Duration.ofMillis(50);
        private int replayCapacityPerEpoch = 2_000_000;
        private Clock clock = Clock.systemUTC();

        Builder(KeyPair identity) {
            this.identity = identity;
        }

        public Builder role(TopologyNode.Role v) { role = v; return this; }
        public Builder layer(int v) { layer = v; return this; }
        public Builder asGroup(int v) { asGroup = v; return this; }
        public Builder listen(InetSocketAddress v) { listen = v; return this; }
        public Builder advertisedAddress(String v) { advertisedAddress = v; return this; }
        public Builder admin(InetSocketAddress v) { admin = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder topologySource(TopologySource v) { topologySource = v; return this; }
        public Builder authorityKey(byte[] v) { authorityKey = v.clone(); return this; }
        public Builder keyEpochLength(Duration v) { keyEpochLength = v; return this; }
        public Builder keyOverlap(Duration v) { keyOverlap = v; return this; }
        public Builder topologyRefresh(Duration v) { topologyRefresh = v; return this; }
        public Builder processingThreads(int v) { processingThreads = v; return this; }
        public Builder inboundQueue(int v) { inboundQueue = v; return this; }
        public Builder delayQueue(int v) { delayQueue = v; return this; }
        public Builder maxDelay(Duration v) { maxDelay = v; return this; }
        public Builder linkRate(double rate, double burst) { linkRate = rate; linkBurst = burst; return this; }
        public Builder sourceRate(double rate, double burst) { sourceRate = rate; sourceBurst = burst; return this; }
        public Builder cover(double loopsPerSecond, double dropsPerSecond, Duration delayMean) {
            loopRate = loopsPerSecond; dropRate = dropsPerSecond; coverDelayMean = delayMean; return this;
        }
        public Builder replayCapacityPerEpoch(int v) { replayCapacityPerEpoch = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }

        public MixnodeConfig build() {
            return new MixnodeConfig(identity, role, layer, asGroup, listen, advertisedAddress, admin, dataDir,
                    topologySource, authorityKey, keyEpochLength, keyOverlap, topologyRefresh, processingThreads,
                    inboundQueue, delayQueue, maxDelay, linkRate, linkBurst, sourceRate, sourceBurst, loopRate,
                    dropRate, coverDelayMean, replayCapacityPerEpoch, clock);
        }
    }
}
