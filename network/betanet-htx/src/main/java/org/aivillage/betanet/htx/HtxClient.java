package org.aivillage.betanet.htx;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.internal.Connection;
import org.aivillage.betanet.htx.internal.FrameTransport;
import org.aivillage.betanet.htx.internal.HtxMetrics;
import org.aivillage.betanet.htx.internal.InnerHandshake;
import org.aivillage.betanet.htx.internal.KeySchedule;
import org.aivillage.betanet.htx.internal.NoiseSession;
import org.aivillage.betanet.htx.internal.NoiseXk;
import org.aivillage.betanet.htx.internal.StreamTransport;
import org.aivillage.betanet.htx.internal.TicketCarriers;
import org.aivillage.betanet.htx.internal.Watchdog;

/**
 * Connects to an HTX server: outer TLS through the configured {@link OuterTlsConnector}, a fresh
 * access ticket in one carrier of the first HTTP request, then the inner Noise XK handshake
 * (bound to the TLS exporter) pipelined behind that request.
 */
public final class HtxClient {
    private HtxClient() {}

    /**
     * Connects with {@link HtxClientConfig#defaults()} (Chromium-mirrored TLS, system trust store).
     *
     * @param serverStaticKey the server's Noise static X25519 public key (32 bytes)
     * @param ticketKey the server's published ticket key and carrier policy
     * @param timeout for TCP, TLS and the inner handshake together
     * @throws HtxTicketRejectedException when the server served its decoy instead
     * @throws HtxHandshakeException when TLS or the inner handshake fails
     */
    public static HtxConnection connect(HtxEndpoint endpoint, byte[] serverStaticKey, TicketKey ticketKey, Duration timeout)
            throws IOException {
        return connect(HtxClientConfig.defaults(), endpoint, serverStaticKey, ticketKey, timeout);
    }

    public static HtxConnection connect(HtxClientConfig config, HtxEndpoint endpoint, byte[] serverStaticKey, TicketKey ticketKey,
            Duration timeout) throws IOException {
        return connect(config, endpoint, serverStaticKey, ticketKey, timeout, NoiseXk.factory());
    }

    static HtxConnection connect(HtxClientConfig config, HtxEndpoint endpoint, byte[] serverStaticKey, TicketKey ticketKey,
            Duration timeout, NoiseSession.Factory noise) throws IOException {
        Objects.requireNonNull(serverStaticKey, "serverStaticKey");
        if (serverStaticKey.length != 32) {
            throw new IllegalArgumentException("server static key must be a 32-byte X25519 public key");
        }
        HtxMetrics metrics = HtxMetrics.of(config.metrics(), "client");
        long deadline = System.nanoTime() + timeout.toNanos();
        OuterTlsConnection tls;
        try {
            tls = config.tls().connect(endpoint, timeout);
        } catch (IOException e) {
            metrics.connectionsFailed.increment();
            throw e instanceof SocketTimeoutException ? e : new HtxHandshakeException("outer TLS to " + endpoint.host() + ":" + endpoint.port() + " failed: " + e.getMessage(), e);
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        KeyPair clientStatic = config.staticKey() != null ? config.staticKey() : X25519.generateKeyPair();
        byte[] exporter = null;
        Watchdog watchdog = Watchdog.arm(left, () -> closeQuietly(tls));
        try {
            exporter = tls.exportKeyingMaterial(KeySchedule.EXPORTER_LABEL, KeySchedule.EXPORTER_CONTEXT, KeySchedule.EXPORTER_LENGTH);
            AccessTicket ticket = AccessTicket.issue(ticketKey, config.clock().instant());
            RandomGenerator random = Randomness.secureRandom();
            TicketCarrier carrier = ticketKey.policy().pickCarrier(random);
            byte[] request = TicketCarriers.buildRequest(carrier, ticket.toBase64Url(), endpoint.serverName(), config.requestPath(),
                    config.requestFields());
            InnerHandshake.Result r = InnerHandshake.client(tls.inputStream(), tls.outputStream(), request, exporter, serverStaticKey,
                    clientStatic, config.effectiveKeyAgreement(), config.limits(), config.rekey(), System::nanoTime, noise);
            if (!watchdog.disarm()) {
                throw new SocketTimeoutException("HTX handshake exceeded " + timeout);
            }
            // Over JDK TLS on a known TCP socket the engine can tell when a TLS read will not wait.
            FrameTransport.ReadyProbe probe = tls instanceof JdkTlsConnector.JdkTlsConnection j && j.tcp() != null
                    ? FrameTransport.tlsProbe(tls.inputStream(), j.tcp().getInputStream()) : null;
            Connection c = Connection.start(Connection.Role.CLIENT, new StreamTransport(tls.inputStream(), tls.outputStream(),
                    tls.remoteAddress(), tls::close, probe), r.sealer(), r.opener(), config.limits(), r.peer(), r.agreement(), config.behaviour(), metrics);
            metrics.connectionsHtx.increment();
            return c;
        } catch (IOException | RuntimeException e) {
            boolean timedOut = !watchdog.disarm();
            closeQuietly(tls);
            metrics.connectionsFailed.increment();
            if (timedOut) {
                throw new SocketTimeoutException("HTX handshake exceeded " + timeout);
            }
            throw e;
        } finally {
            if (exporter != null) {
                ConstantTime.wipe(exporter);
            }
            if (config.staticKey() == null) {
                clientStatic.destroy();
            }
        }
    }

    private static void closeQuietly(OuterTlsConnection c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
