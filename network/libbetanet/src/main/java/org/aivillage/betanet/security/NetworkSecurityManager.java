package org.aivillage.betanet.security;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Admission control for inbound connections and requests: IPv4/IPv6 allow and block lists (CIDR),
 * a token bucket per address and one per prefix (IPv4 /24 and IPv6 /56 by default, as Betanet
 * 1.1 §5.2 asks for tickets). State is bounded: at most {@code maxTrackedKeys} buckets per kind,
 * least recently used evicted first. Thread-safe.
 */
public final class NetworkSecurityManager {

    /** What was decided for one request. */
    public enum Decision {
        ALLOWED,
        /** The address is in the block list. */
        BLOCKED,
        /** An allow list is configured and the address is not in it. */
        NOT_IN_ALLOW_LIST,
        /** The per-address bucket is empty. */
        ADDRESS_RATE_LIMITED,
        /** The per-prefix bucket is empty. */
        PREFIX_RATE_LIMITED;

        public boolean allowed() {
            return this == ALLOWED;
        }
    }

    /**
     * Settings. Rates are per second; bursts are bucket capacities.
     *
     * @param allowList when not empty, only these networks are admitted
     * @param blockList always refused, even when also in the allow list
     */
    public record Settings(
            List<Cidr> allowList,
            List<Cidr> blockList,
            double addressRatePerSecond,
            int addressBurst,
            double prefixRatePerSecond,
            int prefixBurst,
            int ipv4PrefixBits,
            int ipv6PrefixBits,
            int maxTrackedKeys) {
        public Settings {
            allowList = List.copyOf(allowList);
            blockList = List.copyOf(blockList);
            if (!(addressRatePerSecond > 0) || !(prefixRatePerSecond > 0) || addressBurst < 1 || prefixBurst < 1) {
                throw new IllegalArgumentException("rates must be positive and bursts at least 1");
            }
            if (ipv4PrefixBits < 0 || ipv4PrefixBits > 32 || ipv6PrefixBits < 0 || ipv6PrefixBits > 128) {
                throw new IllegalArgumentException("prefix lengths out of range");
            }
            if (maxTrackedKeys < 1) {
                throw new IllegalArgumentException("maxTrackedKeys must be at least 1");
            }
        }

        /** 100 req/s (burst 200) per address, 1,000 req/s (burst 2,000) per /24 or /56, 100,000 tracked keys. */
        public static Settings defaults() {
            return new Settings(List.of(), List.of(), 100, 200, 1000, 2000, 24, 56, 100_000);
        }
    }

    private final Settings settings;
    private final LongSupplier nanoClock;
    private final Map<ByteBuffer, TokenBucket> addressBuckets;
    private final Map<ByteBuffer, TokenBucket> prefixBuckets;
    private final Map<Decision, LongAdder> counts = new java.util.EnumMap<>(Decision.class);

    public NetworkSecurityManager(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** With an explicit monotonic clock in nanoseconds (tests). */
    public NetworkSecurityManager(Settings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.addressBuckets = lru(settings.maxTrackedKeys());
        this.prefixBuckets = lru(settings.maxTrackedKeys());
        for (Decision d : Decision.values()) {
            counts.put(d, new LongAdder());
        }
    }

    private static Map<ByteBuffer, TokenBucket> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, TokenBucket> eldest) {
                return size() > max;
            }
        };
    }

    /** Checks the lists without consuming rate-limit tokens. */
    public Decision checkLists(InetAddress address) {
        for (Cidr c : settings.blockList()) {
            if (c.contains(address)) {
                return Decision.BLOCKED;
            }
        }
        if (!settings.allowList().isEmpty()) {
            for (Cidr c : settings.allowList()) {
                if (c.contains(address)) {
                    return Decision.ALLOWED;
                }
            }
            return Decision.NOT_IN_ALLOW_LIST;
        }
        return Decision.ALLOWED;
    }

    /** Decides one request from {@code address}, consuming a token from its address and prefix buckets. */
    public Decision admit(InetAddress address) {
        Decision d = checkLists(address);
        if (d == Decision.ALLOWED) {
            d = consume(address);
        }
        counts.get(d).increment();
        return d;
    }

    private Decision consume(InetAddress address) {
        byte[] a = Cidr.normalize(address);
        int bits = a.length == 4 ? settings.ipv4PrefixBits() : settings.ipv6PrefixBits();
        ByteBuffer addrKey = ByteBuffer.wrap(a);
        ByteBuffer prefixKey = ByteBuffer.wrap(Cidr.mask(a, bits));
        long now = nanoClock.getAsLong();
        TokenBucket prefix;
        TokenBucket addr;
        synchronized (this) {
            prefix = prefixBuckets.computeIfAbsent(prefixKey,
                    k -> new TokenBucket(settings.prefixBurst(), settings.prefixRatePerSecond(), now));
            addr = addressBuckets.computeIfAbsent(addrKey,
                    k -> new TokenBucket(settings.addressBurst(), settings.addressRatePerSecond(), now));
        }
        if (!addr.tryAcquire(now)) {
            return Decision.ADDRESS_RATE_LIMITED;
        }
        if (!prefix.tryAcquire(now)) {
            return Decision.PREFIX_RATE_LIMITED;
        }
        return Decision.ALLOWED;
    }

    /** How many requests got each decision since start. */
    public long count(Decision decision) {
        return counts.get(decision).sum();
    }

    /** Number of address and prefix buckets currently tracked (bounded by maxTrackedKeys each). */
    public synchronized int trackedKeys() {
        return addressBuckets.size() + prefixBuckets.size();
    }

    public Settings settings() {
        return settings;
    }
}
