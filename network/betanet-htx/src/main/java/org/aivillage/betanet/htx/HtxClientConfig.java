package org.aivillage.betanet.htx;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.aivillage.betanet.crypto.KeyPair;

/**
 * Client settings.
 *
 * @param tls the outer TLS seam (JDK now, betanet-utls' mirrored client later)
 * @param staticKey the client's Noise static key; null = a fresh key per connection (unlinkable)
 * @param keyAgreement null = by date ({@link KeyAgreement#defaultFor})
 * @param requestPath path of the ticket-carrying first request
 * @param requestFields header lines of that request after Host (browser-like)
 */
public record HtxClientConfig(OuterTlsConnector tls, KeyPair staticKey, KeyAgreement keyAgreement, HtxLimits limits,
        RekeyPolicy rekey, BehaviourPolicy behaviour, String requestPath, List<String> requestFields, Clock clock,
        MeterRegistry metrics) {
    public static final List<String> BROWSER_FIELDS = List.of(
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language: en-US,en;q=0.5",
            "Accept-Encoding: gzip, deflate, br",
            "Connection: keep-alive");

    public HtxClientConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(rekey, "rekey");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(requestPath, "requestPath");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        requestFields = List.copyOf(requestFields);
        if (!requestPath.startsWith("/")) {
            throw new IllegalArgumentException("requestPath must start with /");
        }
    }

    /** The Chromium-mirrored ClientHello (betanet-utls) with the system trust store, spec defaults elsewhere. */
    public static HtxClientConfig defaults() {
        return of(UtlsConnector.builtin("chromium"));
    }

    public static HtxClientConfig of(OuterTlsConnector tls) {
        return new HtxClientConfig(tls, null, null, HtxLimits.DEFAULT, RekeyPolicy.DEFAULT, BehaviourPolicy.DEFAULT, "/",
                BROWSER_FIELDS, Clock.systemUTC(), Metrics.globalRegistry);
    }

    public KeyAgreement effectiveKeyAgreement() {
        return keyAgreement != null ? keyAgreement : KeyAgreement.defaultFor(clock);
    }

    public HtxClientConfig withKeyAgreement(KeyAgreement v) {
        return new HtxClientConfig(tls, staticKey, v, limits, rekey, behaviour, requestPath, requestFields, clock, metrics);
    }

    public HtxClientConfig withStaticKey(KeyPair v) {
        return new HtxClientConfig(tls, v, keyAgreement, limits, rekey, behaviour, requestPath, requestFields, clock, metrics);
    }

    public HtxClientConfig withLimits(HtxLimits v) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, v, rekey, behaviour, requestPath, requestFields, clock, metrics);
    }

    public HtxClientConfig withRekey(RekeyPolicy v) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, limits, v, behaviour, requestPath, requestFields, clock, metrics);
    }

    public HtxClientConfig withBehaviour(BehaviourPolicy v) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, limits, rekey, v, requestPath, requestFields, clock, metrics);
    }

    public HtxClientConfig withClock(Clock v) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, limits, rekey, behaviour, requestPath, requestFields, v, metrics);
    }

    public HtxClientConfig withMetrics(MeterRegistry v) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, limits, rekey, behaviour, requestPath, requestFields, clock, v);
    }

    public HtxClientConfig withRequest(String path, List<String> fields) {
        return new HtxClientConfig(tls, staticKey, keyAgreement, limits, rekey, behaviour, path, fields, clock, metrics);
    }
}
