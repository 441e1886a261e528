package org.aivillage.betanet.htx.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.AccessTicket;
import org.aivillage.betanet.htx.TicketFormatException;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TicketRateLimit;

/**
 * Server-side ticket check (Betanet 1.1 §5.2): rate limit per prefix, parse, find the key by id,
 * recompute the ticket for hours now-1..now+1 and compare in constant time, then the replay cache.
 * Thread-safe.
 */
public final class TicketVerifier {
    /** Why a ticket was refused; the name is the metric tag. */
    public enum Rejection {
        MISSING, AMBIGUOUS_CARRIERS, RATE_LIMITED, MALFORMED, UNKNOWN_KEY, INVALID, REPLAYED, REPLAY_CACHE_FULL,
        /** The replay database could not record the ticket, so it was refused (fail closed). */
        REPLAY_STORE_ERROR;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Accepted, or the rejection reason. */
    public record Verdict(AccessTicket ticket, Rejection rejection) {
        public boolean accepted() {
            return rejection == null;
        }
    }

    private final List<TicketIssuerKey> keys;
    private final Clock clock;
    private final PrefixRateLimiter limiter;
    private final ReplayCache replay;

    /** A verifier with an in-memory replay cache. */
    public TicketVerifier(List<TicketIssuerKey> keys, Clock clock, TicketRateLimit limits, java.util.function.LongSupplier nanoTime) {
        this(keys, clock, limits, nanoTime, ReplayCache.inMemory(clock, limits.replayCacheEntries()));
    }

    /** A verifier recording spent tickets in {@code replay} (the caller closes it). */
    public TicketVerifier(List<TicketIssuerKey> keys, Clock clock, TicketRateLimit limits, java.util.function.LongSupplier nanoTime,
            ReplayCache replay) {
        this.keys = List.copyOf(keys);
        this.clock = clock;
        this.limiter = new PrefixRateLimiter(limits.perSecond(), limits.burst(), limits.maxPrefixes(), nanoTime);
        this.replay = replay;
    }

    /** Checks a carrier value (Base64URL) from a client at {@code from}. */
    public Verdict verify(String carrierValue, InetAddress from) {
        if (!limiter.tryAcquire(from)) {
            return new Verdict(null, Rejection.RATE_LIMITED);
        }
        AccessTicket ticket;
        try {
            ticket = AccessTicket.fromBase64Url(carrierValue);
        } catch (TicketFormatException e) {
            return new Verdict(null, Rejection.MALFORMED);
        }
        byte[] keyId = ticket.keyId();
        TicketIssuerKey key = null;
        for (TicketIssuerKey k : keys) {
            if (ConstantTime.equals(k.keyId(), keyId)) {
                key = k;
            }
        }
        if (key == null) {
            return new Verdict(null, Rejection.UNKNOWN_KEY);
        }
        byte[] shared;
        try {
            shared = X25519.sharedSecret(key.keyPair().privateKey(), ticket.clientPublic());
        } catch (CryptoException e) {
            return new Verdict(null, Rejection.INVALID);
        }
        long now = AccessTicket.hourOf(clock.instant());
        long matched = Long.MIN_VALUE;
        byte[] presented = ticket.accessTicket();
        // Try all three hours so the time taken does not reveal which one matched.
        for (long hour = now - 1; hour <= now + 1; hour++) {
            byte[] expected = AccessTicket.compute(shared, keyId, hour);
            if (ConstantTime.equals(expected, presented)) {
                matched = hour;
            }
            ConstantTime.wipe(expected);
        }
        ConstantTime.wipe(shared);
        if (matched == Long.MIN_VALUE) {
            return new Verdict(null, Rejection.INVALID);
        }
        return switch (replay.firstUse(ticket.clientPublic(), matched)) {
            case FIRST_USE -> new Verdict(ticket, null);
            case REPLAY -> new Verdict(null, Rejection.REPLAYED);
            case FULL -> new Verdict(null, Rejection.REPLAY_CACHE_FULL);
            case STORE_ERROR -> new Verdict(null, Rejection.REPLAY_STORE_ERROR);
        };
    }
}
