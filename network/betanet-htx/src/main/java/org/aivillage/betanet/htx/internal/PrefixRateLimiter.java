package org.aivillage.betanet.htx.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets keyed by the client's network prefix: IPv4 /24, IPv6 /56 (Betanet 1.1 §5.2).
 * Bounded LRU of buckets. Thread-safe.
 */
public final class PrefixRateLimiter {
    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Bucket> buckets;

    public PrefixRateLimiter(double perSecond, int burst, int maxPrefixes, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxPrefixes;
            }
        };
    }

    /** The /24 or /56 prefix of an address, as a map key. */
    public static String prefixOf(InetAddress address) {
        byte[] a = address.getAddress();
        int keep = address instanceof Inet4Address ? 3 : 7;
        return (keep == 3 ? "4:" : "6:") + java.util.HexFormat.of().formatHex(Arrays.copyOf(a, keep));
    }

    /** Takes one token for the address's prefix; false when the bucket is empty. */
    public synchronized boolean tryAcquire(InetAddress address) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(prefixOf(address), k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = now;
            return n;
        });
        b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) * perSecond / 1e9);
        b.lastNanos = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return true;
        }
        return false;
    }
}
