package org.aivillage.betanet.htx;

/**
 * Token buckets for ticket attempts per client prefix (Betanet 1.1 §5.2: per IPv4 /24 and IPv6
 * /56): {@code perSecond} refill, {@code burst} capacity, at most {@code maxPrefixes} buckets kept
 * (least recently used dropped). {@code replayCacheEntries} bounds the (cliPub, hour) replay
 * cache; when it is full of live entries new tickets are refused (fail closed: decoy).
 */
public record TicketRateLimit(double perSecond, int burst, int maxPrefixes, int replayCacheEntries) {
    public static final TicketRateLimit DEFAULT = new TicketRateLimit(20, 50, 65_536, 250_000);

    public TicketRateLimit {
        if (!(perSecond > 0) || burst < 1 || maxPrefixes < 1 || replayCacheEntries < 1) {
            throw new IllegalArgumentException("rate limit values must be positive");
        }
    }
}
