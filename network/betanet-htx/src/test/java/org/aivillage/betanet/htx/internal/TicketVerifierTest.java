package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.AccessTicket;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TicketKey;
import org.aivillage.betanet.htx.TicketRateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketVerifierTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:30:00Z");
    final TicketIssuerKey key = TicketIssuerKey.generate();
    final AtomicLong nanos = new AtomicLong();

    TicketVerifier verifier(Instant now, TicketRateLimit limit) {
        return new TicketVerifier(List.of(key), Clock.fixed(now, ZoneOffset.UTC), limit, nanos::get);
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void acceptsHoursNowMinusOneToNowPlusOne() throws Exception {
        TicketVerifier v = verifier(NOW, TicketRateLimit.DEFAULT);
        for (int delta : new int[] {-1, 0, 1}) {
            String t = AccessTicket.issue(key.ticketKey(), NOW.plus(Duration.ofHours(delta))).toBase64Url();
            assertThat(v.verify(t, ip("192.0.2.1")).accepted()).as("hour %d", delta).isTrue();
        }
        for (int delta : new int[] {-2, 2, 30}) {
            String t = AccessTicket.issue(key.ticketKey(), NOW.plus(Duration.ofHours(delta))).toBase64Url();
            assertThat(v.verify(t, ip("192.0.2.1")).rejection()).as("hour %d", delta).isEqualTo(TicketVerifier.Rejection.INVALID);
        }
    }

    @Test
    void replayOfTheSameClientKeyAndHourIsRejected() throws Exception {
        TicketVerifier v = verifier(NOW, TicketRateLimit.DEFAULT);
        String t = AccessTicket.issue(key.ticketKey(), NOW).toBase64Url();
        assertThat(v.verify(t, ip("192.0.2.1")).accepted()).isTrue();
        assertThat(v.verify(t, ip("198.51.100.7")).rejection()).isEqualTo(TicketVerifier.Rejection.REPLAYED);
    }

    @Test
    void aReplayDatabaseThatCannotRecordRefusesTheTicket(@TempDir Path dir) throws Exception {
        ReplayCache broken = ReplayCache.open(dir.resolve("replay.db"), Clock.fixed(NOW, ZoneOffset.UTC), 10);
        broken.close();
        TicketVerifier v = new TicketVerifier(List.of(key), Clock.fixed(NOW, ZoneOffset.UTC), TicketRateLimit.DEFAULT, System::nanoTime, broken);
        String t = AccessTicket.issue(key.ticketKey(), NOW).toBase64Url();
        assertThat(v.verify(t, ip("192.0.2.1")).rejection()).isEqualTo(TicketVerifier.Rejection.REPLAY_STORE_ERROR);
    }

    @Test
    void wrongKeyIdUnknownKeyGarbageAndLowOrderPointsAreRejected() throws Exception {
        TicketVerifier v = verifier(NOW, TicketRateLimit.DEFAULT);
        TicketIssuerKey other = TicketIssuerKey.generate();
        assertThat(v.verify(AccessTicket.issue(other.ticketKey(), NOW).toBase64Url(), ip("192.0.2.1")).rejection())
                .isEqualTo(TicketVerifier.Rejection.UNKNOWN_KEY);
        // Right key id, wrong public key: the MAC cannot match.
        TicketKey forged = new TicketKey(key.keyId(), X25519.generateKeyPair().publicKey());
        assertThat(v.verify(AccessTicket.issue(forged, NOW).toBase64Url(), ip("192.0.2.1")).rejection())
                .isEqualTo(TicketVerifier.Rejection.INVALID);
        assertThat(v.verify("not a ticket!", ip("192.0.2.1")).rejection()).isEqualTo(TicketVerifier.Rejection.MALFORMED);
        AccessTicket lowOrder = new AccessTicket(new byte[32], key.keyId(), new byte[32], new byte[32], new byte[0]);
        assertThat(v.verify(lowOrder.toBase64Url(), ip("192.0.2.1")).rejection()).isEqualTo(TicketVerifier.Rejection.INVALID);
    }

    @Test
    void tokenBucketsPerSlash24AndSlash56() throws Exception {
        TicketVerifier v = verifier(NOW, new TicketRateLimit(1, 3, 100, 1000));
        String garbage = "x";
        for (int i = 0; i < 3; i++) {
            assertThat(v.verify(garbage, ip("203.0.113." + (10 + i))).rejection()).isEqualTo(TicketVerifier.Rejection.MALFORMED);
        }
        // Same /24: empty bucket, even for a valid ticket.
        String valid = AccessTicket.issue(key.ticketKey(), NOW).toBase64Url();
        assertThat(v.verify(valid, ip("203.0.113.99")).rejection()).isEqualTo(TicketVerifier.Rejection.RATE_LIMITED);
        // Another /24 is unaffected.
        assertThat(v.verify(valid, ip("203.0.114.1")).accepted()).isTrue();
        // Refill: 1 token per second.
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(v.verify(AccessTicket.issue(key.ticketKey(), NOW).toBase64Url(), ip("203.0.113.5")).accepted()).isTrue();
        // IPv6: /56 shares a bucket, a different /56 does not.
        for (int i = 0; i < 3; i++) {
            v.verify(garbage, ip("2001:db8:0:ff" + i + "0::1"));
        }
        assertThat(v.verify(garbage, ip("2001:db8:0:ffaa::2")).rejection()).isEqualTo(TicketVerifier.Rejection.RATE_LIMITED);
        assertThat(v.verify(garbage, ip("2001:db8:0:100::2")).rejection()).isEqualTo(TicketVerifier.Rejection.MALFORMED);
        assertThat(PrefixRateLimiter.prefixOf(ip("2001:db8:0:ff12::1"))).isEqualTo(PrefixRateLimiter.prefixOf(ip("2001:db8:0:ffee::1")));
    }
}
