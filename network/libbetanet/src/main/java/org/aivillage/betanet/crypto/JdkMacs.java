package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reuses the JDK's HMAC-SHA2 {@link Mac} objects: {@code Mac.getInstance} (a provider lookup)
 * costs more than a short HMAC itself. A bounded pool per algorithm rather than a thread-local, so
 * that the many short-lived virtual threads of a server share them. A Mac goes back re-keyed with
 * a constant, so the pool holds no caller's key.
 */
final class JdkMacs {
    private static final int MAX_POOLED = 64;
    private static final byte[] NO_KEY = new byte[32];

    private final String name;
    private final ConcurrentLinkedQueue<Mac> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    static final JdkMacs SHA256 = new JdkMacs("HmacSHA256");
    static final JdkMacs SHA384 = new JdkMacs("HmacSHA384");
    static final JdkMacs SHA512 = new JdkMacs("HmacSHA512");

    private JdkMacs(String name) {
        this.name = name;
    }

    /** The pool for a SHA-2 algorithm, or null for the others (BLAKE2). */
    static JdkMacs of(Hashes.Algorithm hash) {
        return switch (hash) {
            case SHA256 -> SHA256;
            case SHA384 -> SHA384;
            case SHA512 -> SHA512;
            case BLAKE2S, BLAKE2B -> null;
        };
    }

    /** A Mac keyed with {@code key} (an empty key is HMAC's all-zero block); give it back with {@link #release}. */
    Mac acquire(byte[] key, int blockLength) {
        Mac mac = free.poll();
        if (mac != null) {
            pooled.decrementAndGet();
        } else {
            try {
                mac = Mac.getInstance(name);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks " + name, e);
            }
        }
        // SecretKeySpec refuses an empty key; HMAC pads any key shorter than the block with zeros,
        // so an empty key is the same as a block of zero bytes.
        byte[] k = key.length == 0 ? new byte[blockLength] : key;
        try {
            mac.init(new SecretKeySpec(k, name));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("HMAC key rejected", e);
        }
        return mac;
    }

    void release(Mac mac) {
        if (pooled.incrementAndGet() > MAX_POOLED) {
            pooled.decrementAndGet();
            return;
        }
        try {
            mac.init(new SecretKeySpec(NO_KEY, name));
        } catch (GeneralSecurityException e) {
            pooled.decrementAndGet();
            return;
        }
        free.offer(mac);
    }
}
