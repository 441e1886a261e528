package org.aivillage.betanet.htx;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.aivillage.betanet.crypto.KeyPair;

/**
 * Everything an {@link HtxServer} needs. The [network.betanet] TOML section maps onto this record.
 *
 * @param bind address and port to listen on (port 0 = ephemeral)
 * @param tls outer TLS certificate chain and key
 * @param staticKey the server's Noise static X25519 key pair; clients know its public half
 * @param ticketKeys accepted ticket keys (more than one during rotation)
 * @param decoy what connections without a valid ticket get
 * @param keyAgreement inner key agreement; null = by date ({@link KeyAgreement#defaultFor})
 * @param replayStore SQLite file recording spent tickets, so a restart (or {@code kill -9}) does not
 *     make them valid again and server processes sharing the file refuse each other's; null = in
 *     memory only (enough when the ticket key is new at every start, as a mixnode's is)
 * @param metrics Micrometer registry; {@link Metrics#globalRegistry} by default
 */
public record HtxServerConfig(InetSocketAddress bind, TlsIdentity tls, KeyPair staticKey, List<TicketIssuerKey> ticketKeys,
        DecoySite decoy, KeyAgreement keyAgreement, HtxLimits limits, RekeyPolicy rekey, BehaviourPolicy behaviour,
        TicketRateLimit ticketRateLimit, Path replayStore, Clock clock, MeterRegistry metrics) {

    public HtxServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(staticKey, "staticKey");
        Objects.requireNonNull(decoy, "decoy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(rekey, "rekey");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(ticketRateLimit, "ticketRateLimit");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        ticketKeys = List.copyOf(ticketKeys);
        if (ticketKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one ticket key is needed");
        }
    }

    /** Defaults for everything else: spec limits, rekey and emulation; key agreement by date. */
    public static HtxServerConfig of(InetSocketAddress bind, TlsIdentity tls, KeyPair staticKey, List<TicketIssuerKey> ticketKeys, DecoySite decoy) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, null, HtxLimits.DEFAULT, RekeyPolicy.DEFAULT,
                BehaviourPolicy.DEFAULT, TicketRateLimit.DEFAULT, null, Clock.systemUTC(), Metrics.globalRegistry);
    }

    /** The key agreement in force now. */
    public KeyAgreement effectiveKeyAgreement() {
        return keyAgreement != null ? keyAgreement : KeyAgreement.defaultFor(clock);
    }

    public HtxServerConfig withKeyAgreement(KeyAgreement v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, v, limits, rekey, behaviour, ticketRateLimit, replayStore, clock, metrics);
    }

    public HtxServerConfig withLimits(HtxLimits v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, v, rekey, behaviour, ticketRateLimit, replayStore, clock, metrics);
    }

    public HtxServerConfig withRekey(RekeyPolicy v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, v, behaviour, ticketRateLimit, replayStore, clock, metrics);
    }

    public HtxServerConfig withBehaviour(BehaviourPolicy v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, rekey, v, ticketRateLimit, replayStore, clock, metrics);
    }

    public HtxServerConfig withTicketRateLimit(TicketRateLimit v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, rekey, behaviour, v, replayStore, clock, metrics);
    }

    public HtxServerConfig withClock(Clock v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, rekey, behaviour, ticketRateLimit, replayStore, v, metrics);
    }

    public HtxServerConfig withMetrics(MeterRegistry v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, rekey, behaviour, ticketRateLimit, replayStore, clock, v);
    }

    public HtxServerConfig withReplayStore(Path v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, decoy, keyAgreement, limits, rekey, behaviour, ticketRateLimit, v, clock, metrics);
    }

    public HtxServerConfig withDecoy(DecoySite v) {
        return new HtxServerConfig(bind, tls, staticKey, ticketKeys, v, keyAgreement, limits, rekey, behaviour, ticketRateLimit, replayStore, clock, metrics);
    }

    @Override
    public String toString() {
        return "HtxServerConfig[bind=" + bind + ", decoy=" + decoy + ", keyAgreement=" + keyAgreement + ", limits=" + limits + ", replayStore=" + replayStore + "]";
    }
}
